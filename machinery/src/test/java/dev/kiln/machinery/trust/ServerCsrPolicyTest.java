package dev.kiln.machinery.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.machinery.pki.CertificateAuthority;
import dev.kiln.machinery.pki.EcKeys;
import dev.kiln.machinery.pki.Role;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.Test;

class ServerCsrPolicyTest {

    private static final CertificateAuthority CA = CertificateAuthority.generate("machine", Duration.ofDays(3650));

    /** A CSR asking for everything a token holder must not get: roles, node identity, client use, CA:true. */
    private static byte[] greedyCsr(KeyPair keys, List<GeneralName> names) throws Exception {
        ExtensionsGenerator extensions = new ExtensionsGenerator();
        extensions.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(names.toArray(GeneralName[]::new)));
        extensions.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        extensions.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                new KeyPurposeId[] {KeyPurposeId.id_kp_clientAuth, KeyPurposeId.id_kp_serverAuth}));
        var subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.O, Role.ADMIN.organization())
                .addRDN(BCStyle.O, "os:impersonator")
                .addRDN(BCStyle.CN, "worker-1").build();
        var request = new JcaPKCS10CertificationRequestBuilder(subject, keys.getPublic())
                .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate())
                .build(new JcaContentSignerBuilder(EcKeys.SIGNATURE_ALGORITHM).build(keys.getPrivate()));
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(request);
        }
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static X509Certificate signed(byte[] csr) {
        ServerCsrPolicy.Sign sign = assertInstanceOf(ServerCsrPolicy.Sign.class, ServerCsrPolicy.decide(csr));
        return CA.sign(sign.request(), sign.publicKey());
    }

    private static String refusal(byte[] csr) {
        return assertInstanceOf(ServerCsrPolicy.Refuse.class, ServerCsrPolicy.decide(csr)).reason();
    }

    @Test
    void signedCertificateCarriesNoOrganisationSoNoRoleAndNoNodeIdentity() throws Exception {
        X509Certificate certificate = signed(greedyCsr(EcKeys.generate(),
                List.of(new GeneralName(GeneralName.dNSName, "worker-1"))));

        assertEquals("CN=worker-1", certificate.getSubjectX500Principal().getName());
        assertTrue(Role.fromCertificate(certificate).isEmpty());
    }

    @Test
    void signedCertificateIsForTlsServersOnlyAndNotACa() throws Exception {
        X509Certificate certificate = signed(greedyCsr(EcKeys.generate(),
                List.of(new GeneralName(GeneralName.dNSName, "worker-1"))));

        assertEquals(List.of(KeyPurposeId.id_kp_serverAuth.getId()), certificate.getExtendedKeyUsage());
        assertEquals(-1, certificate.getBasicConstraints());
    }

    @Test
    void lifetimeIsThePolicysWhateverTheRequest() throws Exception {
        X509Certificate certificate = signed(ServerCsr.pem(EcKeys.generate(), "worker-1", List.of("worker-1"),
                List.of("10.0.0.9")));

        Duration lifetime = Duration.between(certificate.getNotBefore().toInstant(),
                certificate.getNotAfter().toInstant());
        assertTrue(lifetime.compareTo(ServerCsrPolicy.LIFETIME.plusMinutes(2)) <= 0, lifetime.toString());
        assertTrue(lifetime.compareTo(ServerCsrPolicy.LIFETIME) >= 0, lifetime.toString());
    }

    @Test
    void ipAndDnsSubjectAltNamesAreKept() throws Exception {
        X509Certificate certificate = signed(ServerCsr.pem(EcKeys.generate(), "worker-1",
                List.of("worker-1", "localhost"), List.of("10.0.0.9", "2001:db8::9")));

        List<String> names = certificate.getSubjectAlternativeNames().stream().map(n -> n.get(1).toString()).toList();
        assertEquals(List.of("worker-1", "localhost", "10.0.0.9", "2001:db8:0:0:0:0:0:9"), names);
    }

    @Test
    void aUriSubjectAltNameIsRefused() throws Exception {
        String reason = refusal(greedyCsr(EcKeys.generate(), List.of(new GeneralName(GeneralName.dNSName, "w"),
                new GeneralName(GeneralName.uniformResourceIdentifier, "spiffe://cluster/admin"))));

        assertTrue(reason.contains("URI is refused"), reason);
    }

    @Test
    void anEmailSubjectAltNameIsRefused() throws Exception {
        String reason = refusal(greedyCsr(EcKeys.generate(),
                List.of(new GeneralName(GeneralName.rfc822Name, "admin@example.com"))));

        assertTrue(reason.contains("email (rfc822Name) is refused"), reason);
    }

    @Test
    void aWildcardDnsNameIsRefused() throws Exception {
        String reason = refusal(ServerCsr.pem(EcKeys.generate(), "w", List.of("*.example.com"), List.of()));

        assertTrue(reason.contains("'*.example.com'"), reason);
    }

    @Test
    void aCsrWithoutAnyNameIsRefused() throws Exception {
        String reason = refusal(ServerCsr.pem(EcKeys.generate(), "w", List.of(), List.of()));

        assertTrue(reason.contains("names no IP address or DNS name"), reason);
    }

    @Test
    void tooManyNamesAreRefused() throws Exception {
        List<String> names = java.util.stream.IntStream.range(0, ServerCsrPolicy.MAX_SUBJECT_ALT_NAMES + 1)
                .mapToObj(i -> "n" + i).toList();

        String reason = refusal(ServerCsr.pem(EcKeys.generate(), "w", names, List.of()));

        assertTrue(reason.contains("at most " + ServerCsrPolicy.MAX_SUBJECT_ALT_NAMES), reason);
    }

    @Test
    void anOversizedCsrIsRefusedUnread() {
        String reason = refusal(new byte[ServerCsrPolicy.MAX_CSR_BYTES + 1]);

        assertTrue(reason.contains("at most " + ServerCsrPolicy.MAX_CSR_BYTES), reason);
    }

    @Test
    void anEmptyCsrIsRefused() {
        assertTrue(refusal(new byte[0]).contains("csr is empty"));
    }

    @Test
    void garbageIsRefusedAsNotACsr() {
        String reason = refusal("-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n"
                .getBytes(StandardCharsets.US_ASCII));

        assertTrue(reason.startsWith("csr is not a PEM-encoded PKCS#10"), reason);
    }

    @Test
    void aCsrWhoseSignatureDoesNotVerifyIsRefused() throws Exception {
        byte[] pem = ServerCsr.pem(EcKeys.generate(), "worker-1", List.of("worker-1"), List.of());
        String text = new String(pem, StandardCharsets.US_ASCII);
        // Flip one base64 character inside the signature, near the end of the body.
        int at = text.lastIndexOf("\n-----END") - 5;
        char flipped = text.charAt(at) == 'A' ? 'B' : 'A';
        byte[] tampered = (text.substring(0, at) + flipped + text.substring(at + 1)).getBytes(StandardCharsets.US_ASCII);

        String reason = refusal(tampered);

        assertTrue(reason.contains("signature") || reason.contains("not a PEM-encoded"), reason);
    }

    @Test
    void anRsaKeyIsRefused() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        KeyPair keys = rsa.generateKeyPair();
        var request = new JcaPKCS10CertificationRequestBuilder(
                new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, "w").build(), keys.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate()));

        String reason = refusal(request.getEncoded());

        assertTrue(reason.contains("must be ECDSA P-256"), reason);
    }

    @Test
    void aCommonNameThatIsNotAHostNameIsReplacedByTheFirstName() throws Exception {
        X509Certificate certificate = signed(ServerCsr.pem(EcKeys.generate(), "admin, O=os:admin", List.of(),
                List.of("10.0.0.9")));

        assertEquals("CN=10.0.0.9", certificate.getSubjectX500Principal().getName());
        assertFalse(certificate.getSubjectX500Principal().getName().contains("os:"));
    }

    @Test
    void anAcceptedRequestHasNoOrganisation() throws Exception {
        ServerCsrPolicy.Sign sign = assertInstanceOf(ServerCsrPolicy.Sign.class, ServerCsrPolicy.decide(
                greedyCsr(EcKeys.generate(), List.of(new GeneralName(GeneralName.iPAddress, "10.0.0.9")))));

        assertEquals(List.of(), sign.request().organizations());
    }
}
