package dev.kiln.node.install;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * TLS trust for release downloads: the runtime's own CA store ({@code lib/security/cacerts}), plus the CAs of an
 * optional PEM file. The store is read here by path, not as the JVM's default trust: node-init runs with that default
 * empty ({@code javax.net.ssl.trustStore=NONE}, see {@code Bootloader.NODE_JVM_OPTIONS}) because the machine API
 * trusts only the machine's CAs and parsing the public CAs at every start costs it time and memory.
 */
public final class DownloadTrust {

    private DownloadTrust() {
    }

    /** The CA store of the running Java runtime, loaded from its file. */
    public static KeyStore runtimeCaStore() throws IOException {
        Path file = Path.of(System.getProperty("java.home"), "lib", "security", "cacerts");
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(in, null);
            return store;
        } catch (GeneralSecurityException e) {
            throw new IOException(file + ": not a readable CA store: " + e.getMessage(), e);
        }
    }

    public static SSLContext of(Optional<Path> extraCaPem) throws IOException {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new javax.net.ssl.TrustManager[] {trustManager(extraCaPem)}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("download trust: " + e.getMessage(), e);
        }
    }

    /** Trusts a server chain that the runtime's CAs or the PEM file's CAs trust. */
    static X509TrustManager trustManager(Optional<Path> extraCaPem) throws IOException {
        try {
            List<X509TrustManager> managers = new ArrayList<>();
            managers.add(trustManager(runtimeCaStore()));
            if (extraCaPem.isPresent()) {
                KeyStore extra = KeyStore.getInstance(KeyStore.getDefaultType());
                extra.load(null, null);
                int index = 0;
                try (InputStream in = Files.newInputStream(extraCaPem.get())) {
                    for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                        extra.setCertificateEntry("extra-" + index++, certificate);
                    }
                } catch (java.security.cert.CertificateException e) {
                    throw new IOException(extraCaPem.get() + ": no certificates (" + e.getMessage() + ")", e);
                }
                if (index == 0) {
                    throw new IOException(extraCaPem.get() + ": no certificates");
                }
                managers.add(trustManager(extra));
            }
            return new AnyOf(managers);
        } catch (GeneralSecurityException e) {
            throw new IOException("download trust: " + e.getMessage(), e);
        }
    }

    private static X509TrustManager trustManager(KeyStore store) throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        for (var manager : factory.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new GeneralSecurityException("no X.509 trust manager");
    }

    /** Trusts a server chain that any one of the managers trusts. */
    private record AnyOf(List<X509TrustManager> managers) implements X509TrustManager {

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws java.security.cert.CertificateException {
            throw new java.security.cert.CertificateException("release downloads do not take client connections");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws java.security.cert.CertificateException {
            java.security.cert.CertificateException last = null;
            for (X509TrustManager manager : managers) {
                try {
                    manager.checkServerTrusted(chain, authType);
                    return;
                } catch (java.security.cert.CertificateException e) {
                    last = e;
                }
            }
            throw last;
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return managers.stream().flatMap(m -> java.util.Arrays.stream(m.getAcceptedIssuers()))
                    .toArray(X509Certificate[]::new);
        }
    }
}
