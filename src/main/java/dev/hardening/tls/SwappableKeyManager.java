package dev.hardening.tls;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A key manager whose certificate can be replaced while the TLS server runs: every new handshake asks it for the
 * certificate, so a swap takes effect at once and no connection is ever refused. (Vert.x's
 * {@code updateSSLOptions} closes connections accepted while the new SSL context is being built: measured in
 * SecretRotationTlsTest, and exactly the failed admissions rotation must not cause.)
 */
public final class SwappableKeyManager extends X509ExtendedKeyManager {

    private static final char[] IN_MEMORY = "in-memory".toCharArray();

    private final AtomicReference<X509ExtendedKeyManager> delegate = new AtomicReference<>();

    /** Serve {@code material} from the next handshake on. Bad material throws and changes nothing. */
    public void update(TlsMaterial material) {
        List<String> problems = TlsMaterialCheck.blockingProblems(material);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        List<X509Certificate> chain = Pem.certificates(material.certificateChainPem());
        PrivateKey key = Pem.privateKey(material.privateKeyPem());
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("serving", key, IN_MEMORY, chain.toArray(X509Certificate[]::new));
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, IN_MEMORY);
            delegate.set((X509ExtendedKeyManager) factory.getKeyManagers()[0]);
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalArgumentException("key store cannot hold the certificate: " + e.getMessage());
        }
    }

    private X509ExtendedKeyManager current() {
        X509ExtendedKeyManager now = delegate.get();
        if (now == null) {
            throw new IllegalStateException("no certificate yet");
        }
        return now;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return current().chooseEngineServerAlias(keyType, issuers, engine);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return current().chooseServerAlias(keyType, issuers, socket);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return current().getServerAliases(keyType, issuers);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return current().getCertificateChain(alias);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return current().getPrivateKey(alias);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }
}
