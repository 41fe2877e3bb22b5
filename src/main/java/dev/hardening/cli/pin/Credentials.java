package dev.hardening.cli.pin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Registry credentials as the docker CLI stores them in {@code config.json}: {@code auths} (base64
 * {@code user:password} in {@code auth}, or {@code username}/{@code password}), {@code credHelpers} per registry and
 * {@code credsStore} for the rest, through the helper binary {@code docker-credential-<name>} on the {@code PATH}
 * ({@code get}, the registry on standard input, JSON with {@code Username} and {@code Secret} on standard output).
 * Nothing here ever prints a credential, and a {@link Login} does not show its secret.
 */
public final class Credentials {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A user and secret for one registry; {@code toString} never shows the secret. */
    public record Login(String username, String secret) {
        String basic() {
            return "Basic " + Base64.getEncoder().encodeToString((username + ":" + secret).getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String toString() {
            return "Login[" + username + "]";
        }
    }

    private final JsonNode config;
    private final String path;

    private Credentials(JsonNode config, String path) {
        this.config = config;
        this.path = path;
    }

    public static Credentials none() {
        return new Credentials(JSON.createObjectNode(), "");
    }

    /**
     * The config file: {@code file} when given, else {@code $DOCKER_CONFIG/config.json}, else
     * {@code ~/.docker/config.json}; none when that does not exist. {@code searchPath} is where helpers are looked for.
     */
    public static Credentials load(Path file, String searchPath) throws IOException {
        Path config = file;
        if (config == null) {
            String dir = System.getenv("DOCKER_CONFIG");
            config = dir != null ? Path.of(dir, "config.json") : Path.of(System.getProperty("user.home"), ".docker", "config.json");
            if (!Files.exists(config)) {
                return new Credentials(JSON.createObjectNode(), searchPath);
            }
        }
        try {
            return new Credentials(JSON.readTree(Files.readAllBytes(config)), searchPath);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // the parser's message may quote the file, which holds secrets
            throw new IOException(config + ": not a JSON docker config");
        }
    }

    /** The login for {@code registry} ({@code docker.io}, {@code host:port}), if the config has one. */
    public Optional<Login> lookup(String registry) throws RegistryClient.RegistryException {
        String helper = config.path("credHelpers").path(registry).asText("");
        if (helper.isEmpty() && isHub(registry)) {
            helper = findHub(config.path("credHelpers"));
        }
        if (!helper.isEmpty()) {
            return fromHelper(helper, registry, true);
        }
        JsonNode auths = config.path("auths");
        for (Iterator<Map.Entry<String, JsonNode>> it = auths.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (host(entry.getKey()).equals(registry) || (isHub(registry) && isHub(host(entry.getKey())))) {
                Optional<Login> login = fromAuth(entry.getValue(), registry);
                if (login.isPresent()) {
                    return login;
                }
            }
        }
        String store = config.path("credsStore").asText("");
        // the default store of a desktop install is often missing on a CI runner: then pull anonymously, as docker does
        return store.isEmpty() ? Optional.empty() : fromHelper(store, registry, false);
    }

    private static Optional<Login> fromAuth(JsonNode entry, String registry) throws RegistryClient.RegistryException {
        String auth = entry.path("auth").asText("");
        if (!auth.isEmpty()) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(auth), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new RegistryClient.RegistryException("the docker config's auth for " + registry + " is not base64");
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw new RegistryClient.RegistryException("the docker config's auth for " + registry + " is not user:password");
            }
            return Optional.of(new Login(decoded.substring(0, colon), decoded.substring(colon + 1)));
        }
        String user = entry.path("username").asText("");
        return user.isEmpty() ? Optional.empty() : Optional.of(new Login(user, entry.path("password").asText("")));
    }

    /** {@code required}: a helper named for this registry must exist; the default store may be absent. */
    private Optional<Login> fromHelper(String helper, String registry, boolean required) throws RegistryClient.RegistryException {
        String binary = "docker-credential-" + helper;
        Path found = null;
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, binary))) {
                found = Path.of(dir, binary);
                break;
            }
        }
        if (found == null && !required) {
            return Optional.empty();
        }
        if (found == null) {
            throw new RegistryClient.RegistryException("credential helper " + binary + " for " + registry + " is not on the PATH");
        }
        String server = isHub(registry) ? "https://index.docker.io/v1/" : registry;
        try {
            Process process = new ProcessBuilder(found.toString(), "get").redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try (OutputStream in = process.getOutputStream()) {
                in.write(server.getBytes(StandardCharsets.UTF_8));
            }
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new RegistryClient.RegistryException(binary + " did not answer within 30 s");
            }
            if (process.exitValue() != 0) {
                // "credentials not found" is an anonymous pull, as docker does it
                return Optional.empty();
            }
            JsonNode answer = JSON.readTree(out);
            String user = answer.path("Username").asText("");
            String secret = answer.path("Secret").asText("");
            return secret.isEmpty() ? Optional.empty() : Optional.of(new Login(user, secret));
        } catch (IOException e) {
            throw new RegistryClient.RegistryException(binary + " failed for " + registry + ": " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryClient.RegistryException(binary + ": interrupted");
        }
    }

    /** {@code https://index.docker.io/v1/} → {@code index.docker.io}; {@code host:5000} stays. */
    private static String host(String key) {
        String host = key.replaceFirst("^[a-zA-Z]+://", "");
        int slash = host.indexOf('/');
        return slash < 0 ? host : host.substring(0, slash);
    }

    private static boolean isHub(String host) {
        return host.equals("docker.io") || host.equals("index.docker.io") || host.equals("registry-1.docker.io");
    }

    private static String findHub(JsonNode helpers) {
        for (Iterator<Map.Entry<String, JsonNode>> it = helpers.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (isHub(host(entry.getKey()))) {
                return entry.getValue().asText("");
            }
        }
        return "";
    }
}
