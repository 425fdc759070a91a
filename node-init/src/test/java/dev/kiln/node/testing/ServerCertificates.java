package dev.kiln.node.testing;

import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/** Reads the certificate a TLS server presents, without offering a client certificate. */
public final class ServerCertificates {

    private ServerCertificates() {
    }

    public static X509Certificate presentedBy(NodeProcess node) throws Exception {
        AtomicReference<X509Certificate> seen = new AtomicReference<>();
        X509TrustManager capture = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
                seen.set(chain[0]);
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {capture}, null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
            socket.connect(new InetSocketAddress(node.address(), node.port()), 5000);
            socket.setSoTimeout(5000);
            socket.setEnabledProtocols(new String[] {"TLSv1.3"});
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setApplicationProtocols(new String[] {"h2"});
            socket.setSSLParameters(parameters);
            socket.startHandshake();
        } catch (SSLException e) {
            // A server that demands a client certificate may end the handshake; the certificate was seen first.
        }
        if (seen.get() == null) {
            throw new AssertionError(node.hostname() + " presented no certificate");
        }
        return seen.get();
    }

    public static String fingerprint(X509Certificate certificate) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
    }
}
