package dev.hardening.webhook;

import dev.hardening.tls.TlsMaterial;
import dev.hardening.tls.TlsMaterialSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** Serves the test certificates of src/test/resources/tls; {@link #publish(int)} swaps to another pair. */
@Alternative
@ApplicationScoped
public class TestTlsMaterialSource implements TlsMaterialSource {

    private final List<Consumer<TlsMaterial>> listeners = new CopyOnWriteArrayList<>();
    private volatile TlsMaterial current = material(1);

    public static TlsMaterial material(int pair) {
        return new TlsMaterial(resource("tls/tls" + pair + ".crt"), resource("tls/tls" + pair + ".key"),
                resource("tls/ca" + pair + ".crt"));
    }

    public static String resource(String name) {
        try (InputStream in = TestTlsMaterialSource.class.getClassLoader().getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void publish(int pair) {
        current = material(pair);
        listeners.forEach(l -> l.accept(current));
    }

    @Override
    public Optional<TlsMaterial> current() {
        return Optional.of(current);
    }

    @Override
    public void subscribe(Consumer<TlsMaterial> listener) {
        listeners.add(listener);
        listener.accept(current);
    }
}
