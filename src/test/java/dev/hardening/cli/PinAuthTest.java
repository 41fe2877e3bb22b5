package dev.hardening.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.hardening.cli.pin.Credentials;
import dev.hardening.cli.pin.ImageName;
import dev.hardening.cli.pin.RegistryClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Registry authentication of {@code hardening pin} against a loopback registry written here (the OCI registry of
 * PinRegistryIT has no authentication): the bearer-token challenge, anonymous and with the docker config's
 * credentials, basic auth, a credential helper, the one-line errors, and no credential ever in the output.
 */
class PinAuthTest {

    private static final String DIGEST = "sha256:" + "ab".repeat(32);
    private static final String USER = "ci-bot";
    private static final String PASSWORD = "s3cret-pa55word";
    private static final String AUTH = Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));

    @TempDir
    Path dir;

    private HttpServer server;
    private String host;
    /** What the token endpoint was asked, to see the scope and service it got. */
    private final List<String> tokenRequests = new CopyOnWriteArrayList<>();
    private final List<String> tokenAuthorizations = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startRegistry() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        host = "127.0.0.1:" + server.getAddress().getPort();
        server.createContext("/token", this::token);
        server.createContext("/v2/", this::manifest);
        server.start();
    }

    @AfterEach
    void stopRegistry() {
        server.stop(0);
    }

    /** private/*: a token for the right login only; public/*: an anonymous token; basic/*: basic auth; busy/*: 429. */
    private void manifest(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        String repository = path.substring("/v2/".length(), path.indexOf("/manifests/"));
        if (repository.startsWith("busy/")) {
            exchange.getResponseHeaders().add("Retry-After", "30");
            answer(exchange, 429, "");
            return;
        }
        boolean basic = repository.startsWith("basic/");
        String expected = basic ? "Basic " + AUTH : "Bearer " + (repository.startsWith("public/") ? "anonymous" : "token-for-" + USER);
        if (!expected.equals(authorization)) {
            exchange.getResponseHeaders().add("WWW-Authenticate", basic ? "Basic realm=\"test\""
                    : "Bearer realm=\"http://" + (repository.startsWith("elsewhere/") ? "localhost:" + server.getAddress().getPort()
                    : host) + "/token\",service=\"test-registry\",scope=\"repository:" + repository + ":pull\"");
            answer(exchange, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\"}]}");
            return;
        }
        if (!path.endsWith("/manifests/1")) {
            answer(exchange, 404, "");
            return;
        }
        exchange.getResponseHeaders().add("Docker-Content-Digest", DIGEST);
        answer(exchange, 200, "");
    }

    private void token(HttpExchange exchange) throws IOException {
        tokenRequests.add(exchange.getRequestURI().getQuery());
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        tokenAuthorizations.add(String.valueOf(authorization));
        String query = exchange.getRequestURI().getQuery();
        if (query.contains("scope=repository%3Apublic%2F") || query.contains("scope=repository:public/")) {
            answer(exchange, 200, "{\"token\":\"anonymous\"}");
        } else if (("Basic " + AUTH).equals(authorization)) {
            answer(exchange, 200, "{\"access_token\":\"token-for-" + USER + "\"}");
        } else {
            answer(exchange, 401, "");
        }
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head || bytes.length == 0 ? -1 : bytes.length);
        if (!head && bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    private Path config(String json) throws IOException {
        return Files.writeString(dir.resolve("config.json"), json);
    }

    private Path manifest(String image) throws IOException {
        return Files.writeString(dir.resolve("pod.yaml"), """
                apiVersion: v1
                kind: Pod
                metadata: {name: p}
                spec:
                  containers:
                  - name: app
                    image: %s
                """.formatted(image));
    }

    private Cli pin(Path config, Path file) {
        return Cli.run("pin", "--insecure-registry", host, "--registry-config", config.toString(), file.toString());
    }

    private static void assertNoCredential(Cli run) {
        assertThat(run.out() + run.err()).doesNotContain(PASSWORD).doesNotContain(AUTH);
    }

    @Test
    void theDockerConfigsCredentialsGetABearerTokenAndAreNeverPrinted() throws IOException {
        Path config = config("{\"auths\": {\"" + host + "\": {\"auth\": \"" + AUTH + "\"}}}");
        Path file = manifest(host + "/private/app:1");

        Cli run = pin(config, file);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("+    image: " + host + "/private/app:1@" + DIGEST);
        assertThat(tokenRequests).containsExactly("service=test-registry&scope=repository:private/app:pull");
        assertNoCredential(run);
    }

    @Test
    void credentialsAreNotSentInClearToATokenRealmOnAnotherHost() throws IOException {
        Path config = config("{\"auths\": {\"" + host + "\": {\"auth\": \"" + AUTH + "\"}}}");

        Cli run = pin(config, manifest(host + "/elsewhere/app:1"));

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(tokenAuthorizations).containsExactly("null");
        assertNoCredential(run);
    }

    @Test
    void aWrongPasswordIsOneLineWithoutIt() throws IOException {
        String wrong = Base64.getEncoder().encodeToString((USER + ":" + PASSWORD + "-old").getBytes(StandardCharsets.UTF_8));
        Path config = config("{\"auths\": {\"http://" + host + "/v2/\": {\"auth\": \"" + wrong + "\"}}}");
        Path file = manifest(host + "/private/app:1");

        Cli run = pin(config, file);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines()).containsExactly("error: " + file + ":7:5: \"" + host + "/private/app:1\": unauthorized "
                + "(HTTP 401; log in to " + host + " or check the credentials in the docker config)");
        assertThat(run.out() + run.err()).doesNotContain(PASSWORD).doesNotContain(wrong);
    }

    @Test
    void aPublicRepositoryGetsAnAnonymousToken() throws IOException {
        Cli run = pin(config("{}"), manifest(host + "/public/app:1"));

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("@" + DIGEST);
    }

    @Test
    void aMissingDefaultCredentialStoreMeansAnonymousAsForDocker() throws IOException {
        Cli run = pin(config("{\"credsStore\": \"desktop-not-installed\"}"), manifest(host + "/public/app:1"));

        assertThat(run.exitCode()).as(run.err()).isZero();
    }

    @Test
    void aRegistryAskingForBasicAuthGetsTheConfigsUsernameAndPassword() throws IOException {
        Path config = config("{\"auths\": {\"" + host + "\": {\"username\": \"" + USER + "\", \"password\": \"" + PASSWORD + "\"}}}");

        Cli run = pin(config, manifest(host + "/basic/app:1"));

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertNoCredential(run);
    }

    @Test
    void rateLimitingSaysWhenToRetry() throws IOException {
        Path file = manifest(host + "/busy/app:1");

        Cli run = pin(config("{}"), file);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines()).containsExactly("error: " + file + ":7:5: \"" + host + "/busy/app:1\": rate limited by "
                + host + ", retry after 30 s");
    }

    @Test
    void aCredentialHelperIsAskedForTheRegistry() throws Exception {
        Path bin = Files.createDirectory(dir.resolve("bin"));
        Path asked = dir.resolve("asked");
        Path helper = bin.resolve("docker-credential-fake");
        Files.writeString(helper, "#!/bin/sh\n[ \"$1\" = get ] || exit 1\ncat > '" + asked + "'\n"
                + "printf '{\"ServerURL\":\"x\",\"Username\":\"" + USER + "\",\"Secret\":\"" + PASSWORD + "\"}'\n");
        Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwx------"));
        Path config = config("{\"credHelpers\": {\"" + host + "\": \"fake\"}}");

        RegistryClient client = new RegistryClient(Credentials.load(config, bin.toString()), Set.of(host));

        assertThat(client.digest(ImageName.of(host + "/private/app:1"))).isEqualTo(DIGEST);
        assertThat(Files.readString(asked)).isEqualTo(host);
        assertThat(Credentials.load(config, bin.toString()).lookup(host)).hasValueSatisfying(
                login -> assertThat(login.toString()).doesNotContain(PASSWORD));
    }

    @Test
    void dockerHubShortNamesAreNormalisedAsRuntimesDo() {
        assertThat(ImageName.of("nginx:1.25")).extracting(ImageName::registry, ImageName::repository, ImageName::tag,
                ImageName::apiHost).containsExactly("docker.io", "library/nginx", "1.25", "registry-1.docker.io");
        assertThat(ImageName.of("bitnami/redis")).extracting(ImageName::repository, ImageName::tag)
                .containsExactly("bitnami/redis", "latest");
        assertThat(ImageName.of("index.docker.io/library/nginx:1").registry()).isEqualTo("docker.io");
        assertThat(ImageName.of("localhost:5000/app:1")).extracting(ImageName::registry, ImageName::apiHost)
                .containsExactly("localhost:5000", "localhost:5000");
        assertThat(ImageName.of("ghcr.io/org/app:2").pinned(DIGEST)).isEqualTo("ghcr.io/org/app:2@" + DIGEST);
        assertThat(ImageName.of("nginx")).extracting(ImageName::tagged).isEqualTo(false);
    }
}
