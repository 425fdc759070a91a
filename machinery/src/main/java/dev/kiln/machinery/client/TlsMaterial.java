package dev.kiln.machinery.client;

import dev.kiln.machinery.pki.Pem;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Provider;
import java.security.Security;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * The JDK side of Kiln's TLS contexts, free of any Netty: {@link GrpcTls} wraps it for gRPC's shaded Netty, and
 * node-init, which runs gRPC on the etcd client's Netty, for that one.
 */
public final class TlsMaterial {

    private TlsMaterial() {
    }

    /**
     * The JDK's TLS provider, named rather than searched for: a search asks every provider, which in a runtime without
     * some of the JDK's modules instantiates every provider on the class path (Bouncy Castle's hundreds of classes).
     */
    public static Optional<Provider> jdkTls() {
        return Optional.ofNullable(Security.getProvider("SunJSSE"));
    }

    /** A JDK context presenting {@code keys}, trusting the CAs of {@code trustedCaPem} for client certificates. */
    public static SSLContext serverContext(KeyManager keys, Optional<String> trustedCaPem)
            throws GeneralSecurityException, IOException {
        Optional<Provider> jdkTls = jdkTls();
        SSLContext context = jdkTls.isPresent() ? SSLContext.getInstance("TLS", jdkTls.get())
                : SSLContext.getInstance("TLS");
        context.init(new KeyManager[] {keys}, trustedCaPem.isPresent() ? trusting(trustedCaPem.get()) : null, null);
        return context;
    }

    /** A key manager presenting the PEM chain (leaf first) and key, both read by {@link Pem}. */
    public static KeyManager keys(String certificateChainPem, String keyPem) throws SSLException {
        try {
            char[] password = new char[0];
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            store.setKeyEntry("key", Pem.decodePrivateKey(keyPem), password, chain(certificateChainPem));
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, password);
            return factory.getKeyManagers()[0];
        } catch (GeneralSecurityException | IOException e) {
            throw new SSLException("server key and certificate: " + e.getMessage(), e);
        }
    }

    static TrustManager[] trusting(String caPem) throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        int i = 0;
        for (X509Certificate ca : Pem.decodeCertificates(caPem)) {
            store.setCertificateEntry("ca-" + i++, ca);
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return factory.getTrustManagers();
    }

    public static X509Certificate[] chain(String certificateChainPem) {
        return Pem.decodeCertificates(certificateChainPem).toArray(X509Certificate[]::new);
    }
}
