package dev.kiln.machinery.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.net.InetAddress;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

/** Proves the issued certificates work in a real JDK TLS 1.3 handshake with client authentication. */
class TlsHandshakeTest {

    private static final Duration HOUR = Duration.ofHours(1);
    private static final int TIMEOUT_MILLIS = 10_000;

    private final CertificateAuthority ca = CertificateAuthority.generate("kiln-os", Duration.ofDays(1));
    private final IssuedCertificate server = ca.issue(
            CertificateRequest.server("node-1", List.of("node-1"), List.of("127.0.0.1"), HOUR));

    @Test
    void serverSeesClientRolesOverMutualTls() throws Exception {
        IssuedCertificate client = ca.issue(
                CertificateRequest.client("admin", EnumSet.of(Role.ADMIN, Role.ETCD_BACKUP), HOUR));

        Outcome outcome = handshake(server, client, ca.certificate());

        assertNull(outcome.clientFailure());
        assertNull(outcome.serverFailure());
        assertEquals(EnumSet.of(Role.ADMIN, Role.ETCD_BACKUP), outcome.rolesSeenByServer());
    }

    @Test
    void mutualTlsWorksWhenTheCaSignsWithEd25519() throws Exception {
        CertificateAuthority talosStyle = CertificateAuthority.generate("talos", Duration.ofDays(1), CaKeyType.ED25519);
        IssuedCertificate ed25519Server = talosStyle.issue(
                CertificateRequest.server("node-1", List.of("node-1"), List.of("127.0.0.1"), HOUR));
        IssuedCertificate client = talosStyle.issue(CertificateRequest.client("admin", EnumSet.of(Role.ADMIN), HOUR));

        Outcome outcome = handshake(ed25519Server, client, talosStyle.certificate());

        assertNull(outcome.clientFailure());
        assertNull(outcome.serverFailure());
        assertEquals(EnumSet.of(Role.ADMIN), outcome.rolesSeenByServer());
    }

    @Test
    void serverRejectsClientCertificateFromAnotherCa() throws Exception {
        CertificateAuthority stranger = CertificateAuthority.generate("kiln-os", Duration.ofDays(1));
        IssuedCertificate client = stranger.issue(CertificateRequest.client("admin", Set.of(Role.ADMIN), HOUR));

        Outcome outcome = handshake(server, client, ca.certificate());

        assertInstanceOf(SSLHandshakeException.class, outcome.serverFailure());
        assertNull(outcome.rolesSeenByServer());
    }

    @Test
    void clientRejectsServerPresentingClientOnlyCertificate() throws Exception {
        IssuedCertificate clientOnly = ca.issue(CertificateRequest.client("node-1", Set.of(), HOUR));
        IssuedCertificate client = ca.issue(CertificateRequest.client("admin", Set.of(Role.ADMIN), HOUR));

        Outcome outcome = handshake(clientOnly, client, ca.certificate());

        assertInstanceOf(SSLHandshakeException.class, outcome.clientFailure());
    }

    /** What each side of one connection experienced. */
    private record Outcome(Set<Role> rolesSeenByServer, Throwable serverFailure, Throwable clientFailure) {
    }

    /** Runs one handshake on 127.0.0.1, the client checking the server's IP SAN like an HTTPS client. */
    private static Outcome handshake(IssuedCertificate serverIdentity, IssuedCertificate clientIdentity,
            X509Certificate trustedCa) throws Exception {
        SSLContext serverContext = tlsContext(serverIdentity, trustedCa);
        SSLContext clientContext = tlsContext(clientIdentity, trustedCa);
        try (SSLServerSocket listener = (SSLServerSocket) serverContext.getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            listener.setNeedClientAuth(true);
            listener.setSoTimeout(TIMEOUT_MILLIS);
            CompletableFuture<Set<Role>> serverSide = CompletableFuture.supplyAsync(() -> acceptOne(listener));
            Throwable clientFailure = null;
            try (SSLSocket socket = (SSLSocket) clientContext.getSocketFactory()
                    .createSocket("127.0.0.1", listener.getLocalPort())) {
                socket.setSoTimeout(TIMEOUT_MILLIS);
                SSLParameters parameters = socket.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                socket.setSSLParameters(parameters);
                socket.startHandshake();
                // With TLS 1.3 the server judges the client certificate after the client's handshake ends.
                if (socket.getInputStream().read() != 1) {
                    throw new IOException("server closed the connection");
                }
            } catch (IOException e) {
                clientFailure = e;
            }
            try {
                return new Outcome(serverSide.get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS), null, clientFailure);
            } catch (ExecutionException e) {
                return new Outcome(null, e.getCause(), clientFailure);
            }
        }
    }

    private static Set<Role> acceptOne(SSLServerSocket listener) {
        try (SSLSocket connection = (SSLSocket) listener.accept()) {
            connection.setSoTimeout(TIMEOUT_MILLIS);
            connection.startHandshake();
            X509Certificate peer = (X509Certificate) connection.getSession().getPeerCertificates()[0];
            connection.getOutputStream().write(1);
            connection.getOutputStream().flush();
            return Role.fromCertificate(peer);
        } catch (IOException e) {
            throw new CompletionException(e);
        }
    }

    private static SSLContext tlsContext(IssuedCertificate identity, X509Certificate trustedCa) throws Exception {
        char[] password = "in-memory".toCharArray();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("identity", identity.key(), password,
                new Certificate[] {identity.certificate(), identity.issuer()});
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, password);

        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", trustedCa);
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance("PKIX");
        trustManagers.init(trust);

        SSLContext context = SSLContext.getInstance("TLSv1.3");
        context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
        return context;
    }
}
