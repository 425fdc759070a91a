package dev.kiln.node.testing;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.kiln.machinery.pki.CertificateAuthority;
import dev.kiln.machinery.pki.CertificateRequest;
import dev.kiln.machinery.pki.IssuedCertificate;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** Serves files of one directory over HTTPS with a certificate from its own test CA, whose PEM it writes out. */
public final class ArtifactServer implements AutoCloseable {

    private final HttpsServer server;
    private final Path caPem;
    private final String address;

    private ArtifactServer(HttpsServer server, Path caPem, String address) {
        this.server = server;
        this.caPem = caPem;
        this.address = address;
    }

    public static ArtifactServer serve(Path dir, String address, Path caPem) throws Exception {
        CertificateAuthority ca = CertificateAuthority.generate("kiln test artifacts", Duration.ofDays(1));
        IssuedCertificate certificate = ca.issue(CertificateRequest.server("artifacts", List.of(), List.of(address),
                Duration.ofDays(1)));
        Files.writeString(caPem, ca.certificatePem());
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", certificate.key(), new char[0],
                new Certificate[] {certificate.certificate(), ca.certificate()});
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, new char[0]);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), null, null);
        HttpsServer server = HttpsServer.create(new InetSocketAddress(address, 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/", exchange -> {
            Path file = dir.resolve(exchange.getRequestURI().getPath().substring(1)).normalize();
            if (!file.startsWith(dir) || !Files.isRegularFile(file)) {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
                return;
            }
            exchange.sendResponseHeaders(200, Files.size(file));
            try (OutputStream body = exchange.getResponseBody()) {
                Files.copy(file, body);
            }
        });
        server.start();
        return new ArtifactServer(server, caPem, address);
    }

    /** The CA that signed this server's certificate, as a PEM file. */
    public Path caPem() {
        return caPem;
    }

    /** The https reference for a release in the served directory. */
    public String ref(TestReleases.Release release) {
        return "https://" + address + ":" + server.getAddress().getPort() + "/" + release.file().getFileName()
                + "@sha256:" + release.sha256();
    }

    @Override
    public void close() throws IOException {
        server.stop(0);
    }
}
