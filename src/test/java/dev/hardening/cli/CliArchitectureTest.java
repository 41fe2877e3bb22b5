package dev.hardening.cli;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The CLI runs without the operator's runtime: nothing of Quarkus, CDI, Vert.x, the API client or the operator. */
@AnalyzeClasses(packages = "dev.hardening.cli", importOptions = ImportOption.DoNotIncludeTests.class)
class CliArchitectureTest {

    @ArchTest
    static final ArchRule cliUsesNoFrameworkNorClient = noClasses().that().resideInAPackage("dev.hardening.cli..")
            .should().dependOnClassesThat().resideInAnyPackage("io.quarkus..", "io.smallrye..", "jakarta..", "io.vertx..",
                    "io.netty..", "io.javaoperatorsdk..", "io.quarkiverse..", "org.jboss..", "io.micrometer..",
                    "io.fabric8.kubernetes.client..", "dev.hardening.webhook..", "dev.hardening.operator..",
                    "dev.hardening.tls..", "dev.hardening.registration..", "dev.hardening.lifecycle..")
            .because("hardening-cli.jar holds only the engine, the CLI and their libraries");
}
