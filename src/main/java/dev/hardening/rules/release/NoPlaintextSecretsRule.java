package dev.hardening.rules.release;

import dev.hardening.rules.AbstractRule;
import dev.hardening.rules.ContainerRef;
import dev.hardening.rules.Fixes;
import dev.hardening.rules.ImageReference;
import dev.hardening.rules.PodTarget;
import dev.hardening.rules.Profile;
import dev.hardening.rules.RuleExample;
import dev.hardening.rules.RuleInfo;
import dev.hardening.rules.RuleSettings;
import dev.hardening.rules.Violation;
import io.fabric8.kubernetes.api.model.EnvVar;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code no-plaintext-secrets}: no secret as a literal env value. Messages name the variable, never its value.
 */
public final class NoPlaintextSecretsRule extends AbstractRule {

    private static final String GRAFANA = "grafana/grafana:10.2.2";

    public NoPlaintextSecretsRule() {
        super(new RuleInfo("no-plaintext-secrets", Profile.Hardened, "No plaintext secrets in env",
                "An env var whose name means a secret (PASSWORD, PASSWD, PWD, SECRET, TOKEN, API_KEY, PRIVATE_KEY, "
                        + "CREDENTIAL, ACCESS_KEY, AUTH) must not carry a literal value. PWD counts as a word of a "
                        + "longer name (DB_PWD; plain PWD is the working directory), AUTH as the last word "
                        + "(REDIS_AUTH, not AUTH_MODE). Names about a secret pass: a switch or a count "
                        + "(ALLOW_EMPTY_PASSWORD, ZOO_ENABLE_AUTH, CASSANDRA_NUM_TOKENS: ALLOW, ENABLE, DISABLE, "
                        + "REQUIRE, SKIP, USE, NUM, MAX, MIN), and a last word that names where it is, a command, its "
                        + "owner, its kind or its lifetime (_FILE, _PATH, _DIR, _URL, _URI, _ENDPOINT, _NAME, _CMD, "
                        + "_COMMAND, _USER, _USERNAME, _LOGIN, _TYPE, _MODE, _TTL, _TIMEOUT, _LENGTH, ...; _ID is an "
                        + "identifier except in *_TOKEN_ID). Values that cannot be secrets pass: booleans "
                        + "(yes/no/true/false/on/off/y/n), numbers of up to 8 digits (but for a password: MYSQL_PASSWORD=1234 is one), absolute paths and $(VAR) "
                        + "references left as written. A secret's name set to a well-known default credential (admin, "
                        + "password, changeme, root, secret, 123456, letmein, default, ...) is reported as such; a user "
                        + "name such as REDIS_USER=default is not a credential. Values are judged after Kubernetes' "
                        + "$(VAR) expansion against the container's own env: a value that takes any part from a "
                        + "valueFrom or envFrom variable is not a literal ($(DB_PASSWORD_RAW) with "
                        + "DB_PASSWORD_RAW from a secretKeyRef passes), and $$(VAR) is an escaped literal. Every "
                        + "container is checked.",
                "Release checklist, secrets management: literal env values are readable by anyone who can read the "
                        + "workload or docker inspect it, and default passwords are the first ones tried.",
                "Reference the value from a Secret with valueFrom.secretKeyRef, or mount the Secret as a file and "
                        + "pass its path (e.g. API_KEY_FILE).",
                new RuleExample(Examples.container("grafana", GRAFANA, """
                        env:
                        - name: GF_SECURITY_ADMIN_PASSWORD
                          value: admin
                        """), Examples.container("grafana", GRAFANA, """
                        env:
                        - name: GF_SECURITY_ADMIN_PASSWORD
                          valueFrom:
                            secretKeyRef:
                              name: grafana-admin
                              key: password
                        """))));
    }

    @Override
    public List<Violation> evaluate(PodTarget target, RuleSettings settings) {
        List<Violation> violations = new ArrayList<>();
        for (ContainerRef container : target.containers()) {
            List<EnvVar> env = container.container().getEnv();
            if (env == null) {
                continue;
            }
            List<String> literals = EnvExpansion.literals(env, container.container().getEnvFrom() != null
                    && !container.container().getEnvFrom().isEmpty());
            for (int i = 0; i < env.size(); i++) {
                EnvVar var = env.get(i);
                String literal = literals.get(i);
                // null: $(VAR) takes (part of) the value from a Secret, ConfigMap, field or envFrom
                if (var == null || var.getValue() == null || literal == null || literal.isEmpty()) {
                    continue;
                }
                // only a secret's name can carry a secret: REDIS_USER=default is a user name, not a default password
                if (!SecretLiterals.secretName(var.getName())) {
                    continue;
                }
                String field = "env[" + i + "].value";
                String reference = Fixes.set(container.field("env[" + i + "]") + ".valueFrom.secretKeyRef");
                if (SecretLiterals.defaultCredential(literal)) {
                    violations.add(violation(container, field,
                            "env var " + displayName(var) + " is set to a well-known default credential",
                            reference + " to a generated credential, or mount it as a file"));
                } else if (!SecretLiterals.notASecret(var.getName(), literal)) {
                    violations.add(violation(container, field,
                            "env var " + displayName(var) + " carries a literal secret value",
                            reference + " instead of a literal value, or mount the secret as a file"));
                }
            }
        }
        return violations;
    }

    /** The variable's name, quoted; names are not secret, but may be malformed. */
    private static String displayName(EnvVar var) {
        return ImageReference.quoted(var.getName());
    }
}
