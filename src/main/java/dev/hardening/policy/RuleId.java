package dev.hardening.policy;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The rule ids a HardeningPolicy may name, as a schema enum so that the API server rejects a typo at
 * {@code kubectl apply}. Must list exactly the ids of {@link dev.hardening.rules.RuleCatalogue} (RuleIdTest checks).
 */
public enum RuleId {
    @JsonProperty("no-privileged")
    NO_PRIVILEGED("no-privileged"),
    @JsonProperty("no-host-namespaces")
    NO_HOST_NAMESPACES("no-host-namespaces"),
    @JsonProperty("no-host-path")
    NO_HOST_PATH("no-host-path"),
    @JsonProperty("no-host-ports")
    NO_HOST_PORTS("no-host-ports"),
    @JsonProperty("no-host-process")
    NO_HOST_PROCESS("no-host-process"),
    @JsonProperty("baseline-capabilities")
    BASELINE_CAPABILITIES("baseline-capabilities"),
    @JsonProperty("no-unconfined-seccomp")
    NO_UNCONFINED_SECCOMP("no-unconfined-seccomp"),
    @JsonProperty("safe-sysctls")
    SAFE_SYSCTLS("safe-sysctls"),
    @JsonProperty("default-proc-mount")
    DEFAULT_PROC_MOUNT("default-proc-mount"),
    @JsonProperty("selinux-options")
    SELINUX_OPTIONS("selinux-options"),
    @JsonProperty("apparmor-profile")
    APPARMOR_PROFILE("apparmor-profile"),
    @JsonProperty("no-probe-host")
    NO_PROBE_HOST("no-probe-host"),
    @JsonProperty("run-as-non-root")
    RUN_AS_NON_ROOT("run-as-non-root"),
    @JsonProperty("no-privilege-escalation")
    NO_PRIVILEGE_ESCALATION("no-privilege-escalation"),
    @JsonProperty("drop-all-capabilities")
    DROP_ALL_CAPABILITIES("drop-all-capabilities"),
    @JsonProperty("seccomp-profile")
    SECCOMP_PROFILE("seccomp-profile"),
    @JsonProperty("restricted-volume-types")
    RESTRICTED_VOLUME_TYPES("restricted-volume-types"),
    @JsonProperty("image-digest")
    IMAGE_DIGEST("image-digest"),
    @JsonProperty("image-tag")
    IMAGE_TAG("image-tag"),
    @JsonProperty("image-registry")
    IMAGE_REGISTRY("image-registry"),
    @JsonProperty("resource-limits")
    RESOURCE_LIMITS("resource-limits"),
    @JsonProperty("resource-requests")
    RESOURCE_REQUESTS("resource-requests"),
    @JsonProperty("read-only-root-filesystem")
    READ_ONLY_ROOT_FILESYSTEM("read-only-root-filesystem"),
    @JsonProperty("no-plaintext-secrets")
    NO_PLAINTEXT_SECRETS("no-plaintext-secrets"),
    @JsonProperty("health-probes")
    HEALTH_PROBES("health-probes");

    private static final Map<String, RuleId> BY_ID = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(RuleId::id, Function.identity()));

    private final String id;

    RuleId(String id) {
        this.id = id;
    }

    /** The catalogue id, e.g. {@code run-as-non-root}. */
    @JsonValue
    public String id() {
        return id;
    }

    public static Optional<RuleId> of(String id) {
        return Optional.ofNullable(BY_ID.get(id));
    }

    @Override
    public String toString() {
        return id;
    }
}
