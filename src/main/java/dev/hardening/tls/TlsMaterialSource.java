package dev.hardening.tls;

import java.util.Optional;
import java.util.function.Consumer;

/** Supplies the webhook's serving certificate and tells subscribers about every change (hot reload). */
public interface TlsMaterialSource {

    Optional<TlsMaterial> current();

    /** {@code listener} is called with every new material, including the current one if there is one. */
    void subscribe(Consumer<TlsMaterial> listener);
}
