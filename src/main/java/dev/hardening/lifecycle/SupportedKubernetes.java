package dev.hardening.lifecycle;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.VersionInfo;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The oldest Kubernetes the project supports and tests (docs/install.md, "Supported Kubernetes versions"). An older
 * API server is not refused (it may well work), but the operator says once, at start, that it runs outside what is
 * tested, instead of running there silently.
 */
public final class SupportedKubernetes {

    /** Kubernetes 1.32: the oldest minor the end-to-end tests run against (pom property k8s.oldest.version). */
    public static final int OLDEST_MINOR = 32;

    /** Managed clusters report a minor such as {@code 31+}: the digits are the minor. */
    private static final Pattern MINOR = Pattern.compile("(\\d+)\\D*");

    private SupportedKubernetes() {
    }

    /** The warning for the API server {@code client} talks to; empty when supported or when it does not say. */
    static Optional<String> warning(KubernetesClient client) {
        try {
            VersionInfo version = client.getKubernetesVersion();
            return version == null ? Optional.empty() : warning(version.getMajor(), version.getMinor(), version.getGitVersion());
        } catch (KubernetesClientException e) {
            // /version is open to every authenticated user; a server that does not answer it is not judged here
            return Optional.empty();
        }
    }

    static Optional<String> warning(String major, String minor, String gitVersion) {
        Matcher digits = MINOR.matcher(minor == null ? "" : minor);
        if (!"1".equals(major) || !digits.matches() || Integer.parseInt(digits.group(1)) >= OLDEST_MINOR) {
            return Optional.empty();
        }
        return Optional.of("Kubernetes " + gitVersion + " is older than the oldest supported version, 1." + OLDEST_MINOR
                + ": the operator runs, but nothing is tested on it (docs/install.md, \"Supported Kubernetes versions\")");
    }
}
