package dev.kiln.machinery.config;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A throwaway self-signed EC CA, generated once per test run, in the PEM forms the config expects. */
final class TestPem {

    /** PEM text of a self-signed CA certificate. */
    static final String CERT_PEM;
    /** PEM text of its private key in PKCS#8 form ("PRIVATE KEY"). */
    static final String PKCS8_KEY_PEM;
    /** PEM text of the same key in the traditional OpenSSL form ("EC PRIVATE KEY"). */
    static final String EC_KEY_PEM;
    /** PEM text of an Ed25519 key under the type name Talos uses ("ED25519 PRIVATE KEY"). */
    static final String ED25519_KEY_PEM;

    static {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(256);
            KeyPair pair = generator.generateKeyPair();
            CERT_PEM = pem(selfSigned(pair));
            PKCS8_KEY_PEM = pem(new JcaPKCS8Generator(pair.getPrivate(), null).generate());
            EC_KEY_PEM = pem(pair.getPrivate());
            byte[] ed25519 = KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate().getEncoded();
            ED25519_KEY_PEM = talosEd25519Pem(ed25519);
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private TestPem() {
    }

    static String certBase64() {
        return base64(CERT_PEM);
    }

    static String keyBase64() {
        return base64(PKCS8_KEY_PEM);
    }

    /** A CA pair with both crt and key, as the config stores it. */
    static PemPair pair() {
        return PemPair.fromPem(CERT_PEM, PKCS8_KEY_PEM);
    }

    /** PKCS#8 bytes of an Ed25519 key under the PEM type name Talos uses. */
    static String talosEd25519Pem(byte[] pkcs8) {
        return "-----BEGIN ED25519 PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(pkcs8)
                + "\n-----END ED25519 PRIVATE KEY-----\n";
    }

    static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Base64 PEM of a CA certificate with an empty subject and issuer, as Talos issues its aggregator CA. */
    static String emptySubjectCertBase64() {
        org.bouncycastle.util.Properties.setThreadOverride(ALLOW_EMPTY_ISSUER, true);
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(256);
            KeyPair pair = generator.generateKeyPair();
            org.bouncycastle.operator.ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate());
            Instant now = Instant.now();
            X500Name empty = new X500Name(new org.bouncycastle.asn1.x500.RDN[0]);
            org.bouncycastle.asn1.ASN1EncodableVector fields = new org.bouncycastle.asn1.ASN1EncodableVector();
            fields.add(new org.bouncycastle.asn1.DERTaggedObject(true, 0, new org.bouncycastle.asn1.ASN1Integer(2)));
            fields.add(new org.bouncycastle.asn1.ASN1Integer(2));
            fields.add(signer.getAlgorithmIdentifier());
            fields.add(empty);
            fields.add(new org.bouncycastle.asn1.DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] {
                    new org.bouncycastle.asn1.x509.Time(Date.from(now.minus(Duration.ofMinutes(1)))),
                    new org.bouncycastle.asn1.x509.Time(Date.from(now.plus(Duration.ofDays(1))))}));
            fields.add(empty);
            fields.add(org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(pair.getPublic().getEncoded()));
            org.bouncycastle.asn1.DERSequence body = new org.bouncycastle.asn1.DERSequence(fields);
            try (java.io.OutputStream out = signer.getOutputStream()) {
                out.write(body.getEncoded(org.bouncycastle.asn1.ASN1Encoding.DER));
            }
            org.bouncycastle.asn1.ASN1EncodableVector certificate = new org.bouncycastle.asn1.ASN1EncodableVector();
            certificate.add(body);
            certificate.add(signer.getAlgorithmIdentifier());
            certificate.add(new org.bouncycastle.asn1.DERBitString(signer.getSignature()));
            byte[] der = new org.bouncycastle.asn1.DERSequence(certificate).getEncoded();
            return base64("-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                    + "\n-----END CERTIFICATE-----\n");
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException(e);
        } finally {
            org.bouncycastle.util.Properties.removeThreadOverride(ALLOW_EMPTY_ISSUER);
        }
    }

    private static final String ALLOW_EMPTY_ISSUER = "org.bouncycastle.x509.allow_empty_issuer_cert";

    private static X509CertificateHolder selfSigned(KeyPair pair) throws IOException, OperatorCreationException {
        X500Name name = new X500Name("CN=kiln test ca");
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                name, BigInteger.ONE, Date.from(now.minus(Duration.ofMinutes(1))), Date.from(now.plus(Duration.ofDays(1))),
                name, pair.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        return builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
    }

    private static String pem(Object object) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }
}
