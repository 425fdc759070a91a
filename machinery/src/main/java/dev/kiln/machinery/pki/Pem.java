package dev.kiln.machinery.pki;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/** PEM encoding of certificates and keys; keys are written as PKCS#8 and read as PKCS#8 or SEC1. */
public final class Pem {

    private static final String CERTIFICATE = "CERTIFICATE";
    private static final String ED25519_PRIVATE_KEY = "ED25519 PRIVATE KEY";
    private static final String PKCS8_PRIVATE_KEY = "PRIVATE KEY";
    private static final String BEGIN = "-----BEGIN ";
    private static final String END = "-----END ";

    /** One PEM block: its type (the text after BEGIN) and its decoded content. */
    private record Block(String type, byte[] content) {
    }

    private Pem() {
    }

    public static String encodeCertificate(X509Certificate certificate) {
        try {
            return encode(CERTIFICATE, certificate.getEncoded());
        } catch (CertificateException e) {
            throw new IllegalArgumentException("certificate cannot be encoded", e);
        }
    }

    /** Decodes a PEM text holding exactly one certificate. */
    public static X509Certificate decodeCertificate(String pem) {
        List<X509Certificate> certificates = decodeCertificates(pem);
        if (certificates.size() != 1) {
            throw new IllegalArgumentException("expected exactly one PEM certificate, found " + certificates.size());
        }
        return certificates.get(0);
    }

    /** Decodes a PEM bundle of one or more certificates. */
    public static List<X509Certificate> decodeCertificates(String pem) {
        List<X509Certificate> certificates = new ArrayList<>();
        for (Block block : blocks(pem)) {
            if (!CERTIFICATE.equals(block.type())) {
                throw new IllegalArgumentException("expected PEM type CERTIFICATE, found " + block.type());
            }
            certificates.add(parseDer(block.content()));
        }
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException("no PEM certificate found");
        }
        return certificates;
    }

    public static String encodePrivateKey(PrivateKey key) {
        if (!"PKCS#8".equals(key.getFormat())) {
            throw new IllegalArgumentException("private key is not PKCS#8-encodable: " + key.getFormat());
        }
        return encode(PKCS8_PRIVATE_KEY, key.getEncoded());
    }

    /**
     * Accepts "PRIVATE KEY" (PKCS#8), "EC PRIVATE KEY" (SEC1, as written by Go and OpenSSL) and "ED25519 PRIVATE KEY"
     * (PKCS#8 of an Ed25519 key under the type name Talos writes).
     */
    public static PrivateKey decodePrivateKey(String pem) {
        // PEMParser knows no "ED25519 PRIVATE KEY" type, so that one block is read before it looks.
        List<Block> blocks = blocks(pem);
        if (blocks.size() == 1 && ED25519_PRIVATE_KEY.equals(blocks.get(0).type())) {
            return decodeEd25519(blocks.get(0).content());
        }
        // PKCS#8 EC and RSA keys, as Kiln writes them, go to the JDK's factories without Bouncy Castle's parser.
        if (blocks.size() == 1 && PKCS8_PRIVATE_KEY.equals(blocks.get(0).type())) {
            Optional<String> algorithm = Pkcs8.jdkAlgorithm(blocks.get(0).content());
            if (algorithm.isPresent()) {
                try {
                    return KeyFactory.getInstance(algorithm.get())
                            .generatePrivate(new PKCS8EncodedKeySpec(blocks.get(0).content()));
                } catch (GeneralSecurityException e) {
                    throw new IllegalArgumentException("unsupported or corrupt private key", e);
                }
            }
        }
        Object parsed = readSingleObject(pem, "private key");
        PrivateKeyInfo info;
        if (parsed instanceof PEMKeyPair pair) {
            info = pair.getPrivateKeyInfo();
        } else if (parsed instanceof PrivateKeyInfo pkcs8) {
            info = pkcs8;
        } else {
            throw new IllegalArgumentException("expected a PEM private key, found " + describe(parsed));
        }
        if (EdECObjectIdentifiers.id_Ed25519.equals(info.getPrivateKeyAlgorithm().getAlgorithm())) {
            return ed25519(info);
        }
        Optional<String> algorithm = jdkAlgorithm(info.getPrivateKeyAlgorithm().getAlgorithm());
        try {
            if (algorithm.isPresent()) {
                return KeyFactory.getInstance(algorithm.get()).generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
            }
            return new JcaPEMKeyConverter().getPrivateKey(info);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("unsupported or corrupt private key", e);
        }
    }

    /**
     * The JDK's names for the key algorithms Kiln meets, so their keys come from the JDK's own factory: Bouncy Castle's
     * converter first asks for "ECDSA", which no JDK provider has, and that miss makes the JDK instantiate every
     * provider on the class path, the whole Bouncy Castle provider among them.
     */
    private static Optional<String> jdkAlgorithm(ASN1ObjectIdentifier oid) {
        if (X9ObjectIdentifiers.id_ecPublicKey.equals(oid)) {
            return Optional.of("EC");
        }
        if (PKCSObjectIdentifiers.rsaEncryption.equals(oid)) {
            return Optional.of("RSA");
        }
        return Optional.empty();
    }

    private static PrivateKey decodeEd25519(byte[] der) {
        PrivateKeyInfo info;
        try {
            info = PrivateKeyInfo.getInstance(der);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("corrupt " + ED25519_PRIVATE_KEY + ": not PKCS#8", e);
        }
        if (!EdECObjectIdentifiers.id_Ed25519.equals(info.getPrivateKeyAlgorithm().getAlgorithm())) {
            throw new IllegalArgumentException(ED25519_PRIVATE_KEY + " holds a key of algorithm "
                    + info.getPrivateKeyAlgorithm().getAlgorithm().getId() + ", not Ed25519");
        }
        return ed25519(info);
    }

    // The JDK's own key class, which its TLS stack and Signature("Ed25519") both take.
    private static PrivateKey ed25519(PrivateKeyInfo info) {
        try {
            return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("corrupt Ed25519 private key: " + e.getMessage(), e);
        }
    }

    public static String encodePublicKey(PublicKey key) {
        return encode("PUBLIC KEY", key.getEncoded());
    }

    public static PublicKey decodePublicKey(String pem) {
        Object parsed = readSingleObject(pem, "public key");
        if (!(parsed instanceof SubjectPublicKeyInfo info)) {
            throw new IllegalArgumentException("expected a PEM public key, found " + describe(parsed));
        }
        Optional<String> algorithm = jdkAlgorithm(info.getAlgorithm().getAlgorithm());
        try {
            if (algorithm.isPresent()) {
                return KeyFactory.getInstance(algorithm.get()).generatePublic(new X509EncodedKeySpec(info.getEncoded()));
            }
            return new JcaPEMKeyConverter().getPublicKey(info);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("unsupported or corrupt public key", e);
        }
    }

    /** Lowercase hex SHA-256 of the DER encoding, without separators, for certificate pinning. */
    public static String fingerprint(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return HexFormat.of().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 fingerprint unavailable", e);
        }
    }

    static String encode(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    private static X509Certificate parseDer(byte[] der) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException e) {
            throw new IllegalArgumentException("corrupt certificate: " + e.getMessage(), e);
        }
    }

    /** The blocks between BEGIN and END lines; text around them is ignored, header lines (with a colon) skipped. */
    private static List<Block> blocks(String pem) {
        List<Block> blocks = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new StringReader(pem))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.startsWith(BEGIN)) {
                    continue;
                }
                String label = line.substring(BEGIN.length()).trim();
                int dash = label.indexOf('-');
                if (dash <= 0 || !label.endsWith("-----") || label.length() - dash != 5) {
                    break;
                }
                String type = label.substring(0, dash);
                String endLine = END + type + "-----";
                StringBuilder base64 = new StringBuilder();
                String body = reader.readLine();
                for (; body != null && !body.startsWith(endLine); body = reader.readLine()) {
                    if (body.indexOf(':') < 0) {
                        base64.append(body.trim());
                    }
                }
                if (body == null) {
                    throw new IOException(endLine + " not found");
                }
                blocks.add(new Block(type, Base64.getDecoder().decode(base64.toString())));
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("malformed PEM: " + e.getMessage(), e);
        }
        return blocks;
    }

    private static Object readSingleObject(String pem, String expected) {
        Object first;
        Object second;
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            first = parser.readObject();
            second = first == null ? null : parser.readObject();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("malformed PEM " + expected + ": " + e.getMessage(), e);
        }
        if (first == null) {
            throw new IllegalArgumentException("no PEM " + expected + " found");
        }
        if (second != null) {
            throw new IllegalArgumentException("expected a single PEM " + expected + ", found several blocks");
        }
        return first;
    }

    private static String describe(Object parsed) {
        return parsed.getClass().getSimpleName();
    }
}
