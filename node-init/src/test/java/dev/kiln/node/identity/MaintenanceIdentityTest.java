package dev.kiln.node.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.machinery.pki.EcKeys;
import dev.kiln.machinery.pki.Pem;
import dev.kiln.node.disk.DiskLayout;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MaintenanceIdentityTest {

    private static final String ADDRESS = "127.0.45.7";

    @TempDir
    Path root;

    @Test
    void firstBootMakesASelfSignedServerCertificateForTheNodesNamesAndAddress() throws Exception {
        MaintenanceIdentity identity = MaintenanceIdentity.loadOrCreate(new DiskLayout(root), "node-a", ADDRESS);
        X509Certificate certificate = Pem.decodeCertificate(identity.certificatePem());

        certificate.verify(certificate.getPublicKey());
        certificate.checkValidity();
        assertEquals("CN=node-a", certificate.getSubjectX500Principal().getName());
        assertEquals(certificate.getSubjectX500Principal(), certificate.getIssuerX500Principal());
        assertEquals(-1, certificate.getBasicConstraints());
        assertTrue(certificate.getKeyUsage()[0], "digitalSignature");
        assertEquals(List.of("1.3.6.1.5.5.7.3.1"), certificate.getExtendedKeyUsage());
        assertEquals(List.of(List.of(2, "node-a"), List.of(2, "localhost"), List.of(7, ADDRESS)),
                certificate.getSubjectAlternativeNames().stream().map(List::copyOf).toList());
        assertTrue(certificate.getNotAfter().toInstant().isAfter(Instant.now().plus(Duration.ofDays(3600))));
        assertTrue(EcKeys.matches(Pem.decodePrivateKey(identity.keyPem()), certificate.getPublicKey()));
        assertEquals(Pem.fingerprint(certificate), identity.fingerprint());
    }

    @Test
    void laterBootsServeTheSameCertificate() throws Exception {
        MaintenanceIdentity first = MaintenanceIdentity.loadOrCreate(new DiskLayout(root), "node-a", ADDRESS);

        MaintenanceIdentity again = MaintenanceIdentity.loadOrCreate(new DiskLayout(root), "node-b", "127.0.45.8");

        assertEquals(first, again);
        assertTrue(Files.isRegularFile(new DiskLayout(root).meta().resolve("maintenance.crt")));
    }

    @Test
    void aTlsClientPinningTheCertificateCompletesAHandshake() throws Exception {
        MaintenanceIdentity identity = MaintenanceIdentity.loadOrCreate(new DiskLayout(root), "node-a", ADDRESS);
        X509Certificate certificate = Pem.decodeCertificate(identity.certificatePem());
        KeyStore serverStore = KeyStore.getInstance("PKCS12");
        serverStore.load(null, null);
        serverStore.setKeyEntry("serving", Pem.decodePrivateKey(identity.keyPem()), new char[0],
                new Certificate[] {certificate});
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(serverStore, new char[0]);
        SSLContext serverContext = SSLContext.getInstance("TLSv1.3");
        serverContext.init(keys.getKeyManagers(), null, null);
        KeyStore pinned = KeyStore.getInstance("PKCS12");
        pinned.load(null, null);
        pinned.setCertificateEntry("maintenance", certificate);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(pinned);
        SSLContext clientContext = SSLContext.getInstance("TLSv1.3");
        clientContext.init(null, trust.getTrustManagers(), null);

        try (SSLServerSocket server = (SSLServerSocket) serverContext.getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getByName(ADDRESS))) {
            CompletableFuture<Integer> served = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket accepted = (SSLSocket) server.accept(); InputStream in = accepted.getInputStream();
                        OutputStream out = accepted.getOutputStream()) {
                    int read = in.read();
                    out.write(read + 1);
                    out.flush();
                    return read;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try (SSLSocket client = (SSLSocket) clientContext.getSocketFactory()
                    .createSocket(ADDRESS, server.getLocalPort())) {
                var parameters = client.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                client.setSSLParameters(parameters);
                client.getOutputStream().write(41);
                client.getOutputStream().flush();
                assertEquals(42, client.getInputStream().read());
                assertEquals(certificate, client.getSession().getPeerCertificates()[0]);
            }
            assertEquals(41, served.get(30, TimeUnit.SECONDS));
        }
    }
}
