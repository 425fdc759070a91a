package dev.kiln.machinery.pki;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Builds and signs X.509 v3 certificates for {@link CertificateAuthority}. */
final class CertificateSigner {

    /** Backdating notBefore tolerates clocks that lag the issuer's a little. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(1);

    private static final SecureRandom RANDOM = new SecureRandom();

    private CertificateSigner() {
    }

    static X509Certificate selfSignedCa(String commonName, PublicKey publicKey, PrivateKey privateKey,
            Duration validity) {
        Instant now = Instant.now();
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, randomSerial(),
                Date.from(now.minus(CLOCK_SKEW)), Date.from(now.plus(validity)), subject, publicKey);
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.keyUsage, true,
                    new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
            builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(publicKey));
        } catch (CertIOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot build CA certificate extensions", e);
        }
        return sign(builder, privateKey);
    }

    static X509Certificate leaf(CertificateAuthority issuer, CertificateRequest request, PublicKey publicKey) {
        Instant now = Instant.now();
        X509Certificate caCertificate = issuer.certificate();
        // A leaf outliving its CA would fail verification anyway; clamp so the expiry date tells the truth.
        Instant notAfter = min(now.plus(request.validity()), caCertificate.getNotAfter().toInstant());
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(caCertificate, randomSerial(),
                Date.from(now.minus(CLOCK_SKEW)), Date.from(notAfter), subjectOf(request), publicKey);
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false, request.usage().extendedKeyUsage());
            builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(publicKey));
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    utils.createAuthorityKeyIdentifier(caCertificate));
            GeneralNames altNames = subjectAltNames(request);
            if (altNames != null) {
                builder.addExtension(Extension.subjectAlternativeName, false, altNames);
            }
        } catch (CertIOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot build certificate extensions", e);
        }
        return sign(builder, issuer.key());
    }

    static BigInteger randomSerial() {
        BigInteger serial;
        do {
            serial = new BigInteger(128, RANDOM);
        } while (serial.signum() == 0);
        return serial;
    }

    private static X500Name subjectOf(CertificateRequest request) {
        X500NameBuilder name = new X500NameBuilder(BCStyle.INSTANCE);
        for (String organization : request.organizations()) {
            name.addRDN(BCStyle.O, organization);
        }
        return name.addRDN(BCStyle.CN, request.commonName()).build();
    }

    private static GeneralNames subjectAltNames(CertificateRequest request) {
        List<GeneralName> names = new ArrayList<>();
        request.dnsNames().forEach(dns -> names.add(new GeneralName(GeneralName.dNSName, dns)));
        request.ipAddresses().forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
        return names.isEmpty() ? null : new GeneralNames(names.toArray(GeneralName[]::new));
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signingKey) {
        String algorithm = CaKeyType.of(signingKey).signatureAlgorithm();
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder(algorithm).build(signingKey)));
        } catch (OperatorCreationException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign certificate with " + algorithm, e);
        }
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    static String describe(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().getName();
    }
}
