package dev.kiln.testenv;

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
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** Serves the release archives of one directory over HTTPS, with a certificate from its own CA (written as PEM). */
final class ReleaseServer implements AutoCloseable {

    private final HttpsServer server;
    private final String address;
    private final Path caPem;

    private ReleaseServer(HttpsServer server, String address, Path caPem) {
        this.server = server;
        this.address = address;
        this.caPem = caPem;
    }

    static ReleaseServer serve(Path dir, String address, Path caPem) throws IOException, GeneralSecurityException {
        CertificateAuthority ca = CertificateAuthority.generate("kiln scenario releases", Duration.ofDays(1));
        IssuedCertificate certificate = ca.issue(CertificateRequest.server("releases", List.of(), List.of(address),
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
        Path root = dir.toAbsolutePath().normalize();
        server.createContext("/", exchange -> {
            Path file = root.resolve(exchange.getRequestURI().getPath().substring(1)).normalize();
            if (!file.startsWith(root) || !Files.isRegularFile(file)) {
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
        return new ReleaseServer(server, address, caPem);
    }

    Path caPem() {
        return caPem;
    }

    /** The reference Upgrade and spec.releaseImage take for {@code release}. */
    String ref(NodeReleases.Release release) {
        return "https://" + address + ":" + server.getAddress().getPort() + "/" + release.file().getFileName()
                + "@sha256:" + release.sha256();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
