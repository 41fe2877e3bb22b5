package dev.hardening.cli.pin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Asks a registry, through the OCI distribution API, which digest a tag points to: {@code HEAD
 * /v2/<repository>/manifests/<tag>} accepting indexes first, so that a multi-arch image resolves to its index, and the
 * {@code Docker-Content-Digest} the registry answers (a {@code GET} and the body's sha256 when a registry does not send
 * it). Authenticates as clients do: an anonymous or a credentialed bearer token from the {@code WWW-Authenticate}
 * challenge, or basic auth when that is what the registry asks for. Credentials go only to the registry and its token
 * endpoint, never into a message.
 */
public final class RegistryClient {

    /** Indexes first: a multi-arch tag is pinned to its index, which every platform pulls through. */
    static final String ACCEPT = String.join(", ",
            "application/vnd.oci.image.index.v1+json",
            "application/vnd.docker.distribution.manifest.list.v2+json",
            "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.docker.distribution.manifest.v2+json");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** Why a tag could not be resolved, in one line without any credential. */
    public static final class RegistryException extends Exception {
        public RegistryException(String message) {
            super(message, null, false, false);
        }
    }

    private final HttpClient http;
    private final Credentials credentials;
    private final Set<String> insecure;
    /** Bearer tokens by registry and scope, for the run: a file with ten containers asks the token endpoint once. */
    private final Map<String, String> tokens = new ConcurrentHashMap<>();

    /**
     * @param insecure registries ({@code host[:port]}) spoken to over plain HTTP
     */
    public RegistryClient(Credentials credentials, Set<String> insecure) {
        // no redirects: a credential must not follow one to another host (registries answer manifests themselves)
        this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
        this.credentials = credentials;
        this.insecure = insecure;
    }

    /** The digest {@code image}'s tag points to now, e.g. {@code sha256:0d17…}. */
    public String digest(ImageName image) throws RegistryException {
        String base = (insecure.contains(image.registry()) ? "http://" : "https://") + image.apiHost();
        URI uri = URI.create(base + "/v2/" + image.repository() + "/manifests/" + image.tag());
        String scope = "repository:" + image.repository() + ":pull";
        HttpResponse<byte[]> response = send(image, uri, "HEAD", scope);
        if (response.statusCode() == 200) {
            Optional<String> digest = response.headers().firstValue("Docker-Content-Digest");
            if (digest.isPresent() && digest.get().startsWith("sha256:")) {
                return digest.get();
            }
            response = send(image, uri, "GET", scope);
            if (response.statusCode() == 200) {
                return "sha256:" + sha256(response.body());
            }
        }
        throw new RegistryException(problem(image, response));
    }

    private HttpResponse<byte[]> send(ImageName image, URI uri, String method, String scope) throws RegistryException {
        String tokenKey = image.registry() + " " + scope;
        String authorization = tokens.get(tokenKey);
        HttpResponse<byte[]> response = request(image, uri, method, authorization);
        if (response.statusCode() != 401) {
            return response;
        }
        Optional<Challenge> challenge = response.headers().allValues("WWW-Authenticate").stream()
                .map(Challenge::parse).flatMap(Optional::stream).findFirst();
        if (challenge.isEmpty()) {
            return response;
        }
        Optional<Credentials.Login> login = credentials.lookup(image.registry());
        if (challenge.get().scheme().equalsIgnoreCase("basic")) {
            if (login.isEmpty()) {
                return response;
            }
            authorization = login.get().basic();
        } else {
            authorization = "Bearer " + token(image, challenge.get(), scope, login);
        }
        tokens.put(tokenKey, authorization);
        return request(image, uri, method, authorization);
    }

    /** A token from the challenge's realm: anonymous, or with the user's credentials when there are some. */
    private String token(ImageName image, Challenge challenge, String scope, Optional<Credentials.Login> login)
            throws RegistryException {
        String realm = challenge.parameters().get("realm");
        if (realm == null) {
            throw new RegistryException(image.display() + ": the registry's challenge names no token realm");
        }
        StringBuilder query = new StringBuilder();
        String service = challenge.parameters().get("service");
        if (service != null) {
            query.append("service=").append(URLEncoder.encode(service, StandardCharsets.UTF_8));
        }
        query.append(query.length() == 0 ? "" : "&").append("scope=")
                .append(URLEncoder.encode(challenge.parameters().getOrDefault("scope", scope), StandardCharsets.UTF_8));
        URI uri;
        try {
            uri = URI.create(realm + (realm.contains("?") ? "&" : "?") + query);
        } catch (IllegalArgumentException e) {
            throw new RegistryException(image.display() + ": the registry's token realm is not a URL");
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET();
        // a password goes over TLS, or to the registry's own host spoken to as the user said: never in clear elsewhere
        boolean safe = "https".equals(uri.getScheme()) || image.registry().equals(uri.getAuthority());
        login.filter(l -> safe).ifPresent(l -> request.header("Authorization", l.basic()));
        HttpResponse<byte[]> response = exchange(image, request.build());
        if (response.statusCode() != 200) {
            throw new RegistryException(problem(image, response));
        }
        try {
            JsonNode body = JSON.readTree(response.body());
            String token = body.path("token").asText(body.path("access_token").asText(""));
            if (token.isEmpty()) {
                throw new RegistryException(image.display() + ": the token endpoint answered no token");
            }
            return token;
        } catch (IOException e) {
            throw new RegistryException(image.display() + ": the token endpoint answered no JSON");
        }
    }

    private HttpResponse<byte[]> request(ImageName image, URI uri, String method, String authorization)
            throws RegistryException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Accept", ACCEPT)
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return exchange(image, request.build());
    }

    private HttpResponse<byte[]> exchange(ImageName image, HttpRequest request) throws RegistryException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new RegistryException(image.display() + ": cannot reach " + request.uri().getScheme() + "://"
                    + request.uri().getAuthority() + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage())
                    + (request.uri().getScheme().equals("https") ? " (a plain-HTTP registry needs --insecure-registry "
                    + image.registry() + ")" : ""));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException(image.display() + ": interrupted");
        }
    }

    private static String problem(ImageName image, HttpResponse<byte[]> response) {
        int status = response.statusCode();
        String what = image.display();
        return switch (status) {
            case 404 -> what + ": not found (no tag " + image.tag() + " in " + image.registry() + "/" + image.repository() + ")";
            case 401, 403 -> what + ": unauthorized (HTTP " + status + "; log in to " + image.registry()
                    + " or check the credentials in the docker config)";
            case 429 -> what + ": rate limited by " + image.registry()
                    + response.headers().firstValue("Retry-After").map(s -> ", retry after " + s + " s").orElse("");
            default -> what + ": " + image.registry() + " answered HTTP " + status;
        };
    }

    static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
