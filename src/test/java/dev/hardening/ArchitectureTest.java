package dev.hardening;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.equivalentTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The house's boundaries as tests, not conventions (docs/architecture.md draws them). Production classes only.
 */
@AnalyzeClasses(packages = "dev.hardening", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    /**
     * The engine: rules, image references, profiles ({@code rules}); the HardeningPolicy model ({@code policy});
     * validating, compiling and evaluating a policy and deciding per mode ({@code engine}).
     */
    static final String[] ENGINE = {"dev.hardening.rules..", "dev.hardening.policy..", "dev.hardening.engine.."};

    /**
     * What the engine may not touch: a framework, a container, HTTP, the API client. Two types of the
     * kubernetes-client-api jar are part of the model, not the client: the custom resource base class and the
     * serialization the CRD generator hands to a schema customizer (both Jackson only, no I/O).
     */
    private static final DescribedPredicate<JavaClass> FRAMEWORK = resideInAnyPackage(
            "io.quarkus..", "io.smallrye..", "jakarta.enterprise..", "jakarta.inject..", "jakarta.ws..",
            "io.vertx..", "io.netty..", "io.javaoperatorsdk..", "io.quarkiverse..", "org.jboss..",
            "io.micrometer..", "io.fabric8.kubernetes.client..", "java.net.http..")
            .and(not(equivalentTo(CustomResource.class)))
            .and(not(equivalentTo(KubernetesSerialization.class)))
            .as("a framework, CDI, HTTP or Kubernetes client class");

    @ArchTest
    static final ArchRule engineImportsNoFramework = noClasses().that().resideInAnyPackage(ENGINE)
            .should().dependOnClassesThat(FRAMEWORK)
            .because("the offline CLI, the webhook and the operator run the very same engine");

    /**
     * Lower layers never import higher ones. Engine at the bottom; the CLI only on the engine; the configuration
     * mapping and the infrastructure (tls, then registration, leader election, then lifecycle's leader work; the
     * policy index apart) below the two entry points, which do not import each other. Registration reads the
     * engine's owner table to write the webhook's matchCondition. Leader election knows nothing of what runs on the
     * leader; the policy index only the engine and the configuration. The webhook reads policies through the
     * engine's {@code PolicyIndex}, never the index's classes.
     */
    @ArchTest
    static final ArchRule layersDoNotImportUpward = layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            .withOptionalLayers(true)
            .layer("Engine").definedBy(ENGINE)
            .layer("Cli").definedBy("dev.hardening.cli..")
            .layer("Config").definedBy("dev.hardening")
            .layer("Tls").definedBy("dev.hardening.tls..")
            .layer("Registration").definedBy("dev.hardening.registration..")
            .layer("Leader").definedBy("dev.hardening.lifecycle.leader..")
            .layer("Lifecycle").definedBy("dev.hardening.lifecycle")
            .layer("Index").definedBy("dev.hardening.index..")
            .layer("Webhook").definedBy("dev.hardening.webhook..")
            .layer("Operator").definedBy("dev.hardening.operator..")
            .whereLayer("Engine").mayNotAccessAnyLayer()
            .whereLayer("Cli").mayOnlyAccessLayers("Engine")
            .whereLayer("Config").mayNotAccessAnyLayer()
            .whereLayer("Tls").mayOnlyAccessLayers("Engine", "Config")
            .whereLayer("Registration").mayOnlyAccessLayers("Engine", "Config", "Tls")
            .whereLayer("Leader").mayOnlyAccessLayers("Config")
            .whereLayer("Lifecycle").mayOnlyAccessLayers("Engine", "Config", "Tls", "Registration", "Leader")
            .whereLayer("Index").mayOnlyAccessLayers("Engine", "Config")
            .whereLayer("Webhook").mayOnlyAccessLayers("Engine", "Cli", "Config", "Tls", "Registration", "Leader",
                    "Lifecycle")
            .whereLayer("Operator").mayOnlyAccessLayers("Engine", "Cli", "Config", "Tls", "Registration", "Leader",
                    "Lifecycle", "Index");

    /** Inside the engine: rules judge objects and know no policy; the policy model knows no evaluation of it. */
    @ArchTest
    static final ArchRule engineFloorsDoNotImportUpward = layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            .layer("Rules").definedBy("dev.hardening.rules..")
            .layer("Model").definedBy("dev.hardening.policy..")
            .layer("Evaluation").definedBy("dev.hardening.engine..")
            .whereLayer("Rules").mayNotAccessAnyLayer()
            .whereLayer("Model").mayOnlyAccessLayers("Rules");

    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("dev.hardening.(**)").should().beFreeOfCycles();
}
