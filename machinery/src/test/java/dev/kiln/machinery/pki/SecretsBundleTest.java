package dev.kiln.machinery.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.machinery.yaml.YamlText;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SecretsBundleTest {

    private static SecretsBundle bundle;

    @BeforeAll
    static void generateOnce() {
        bundle = SecretsBundle.generate();
    }

    @Test
    void generatedTokensAndSecretsAreWellFormed() {
        assertTrue(bundle.bootstrapToken().matches("[a-z0-9]{6}\\.[a-z0-9]{16}"), bundle.bootstrapToken());
        assertTrue(bundle.machineToken().matches("[a-z0-9]{6}\\.[a-z0-9]{16}"), bundle.machineToken());
        assertNotEquals(bundle.bootstrapToken(), bundle.machineToken());
        for (String secret : List.of(bundle.clusterId(), bundle.clusterSecret(), bundle.secretboxEncryptionSecret())) {
            assertEquals(32, Base64.getDecoder().decode(secret).length);
        }
    }

    @Test
    void generatedCasHaveTheirNamesAndTenYearValidity() {
        assertEquals("CN=kiln-os", bundle.os().certificate().getSubjectX500Principal().getName());
        assertEquals("CN=etcd", bundle.etcd().certificate().getSubjectX500Principal().getName());
        assertEquals("CN=kubernetes", bundle.k8s().certificate().getSubjectX500Principal().getName());
        assertEquals("CN=kubernetes-aggregator",
                Pem.decodeCertificate(bundle.k8sAggregator().decodedCrt()).getSubjectX500Principal().getName());
        long days = (bundle.os().certificate().getNotAfter().getTime()
                - bundle.os().certificate().getNotBefore().getTime()) / 86_400_000L;
        assertEquals(3650, days);
    }

    @Test
    void yamlRoundTripIsExact() {
        String yaml = bundle.toYaml();

        SecretsBundle restored = SecretsBundle.fromYaml(yaml);

        assertEquals(bundle, restored);
        assertEquals(bundle.hashCode(), restored.hashCode());
        assertEquals(yaml, restored.toYaml());
    }

    @Test
    void yamlUsesTalosStyleLayoutWithBase64Pem() {
        Map<String, Object> document = document(bundle.toYaml());

        assertEquals(List.of("cluster", "secrets", "trustdinfo", "certs"), List.copyOf(document.keySet()));
        assertEquals(bundle.clusterId(), at(document, "cluster", "id"));
        assertEquals(bundle.bootstrapToken(), at(document, "secrets", "bootstraptoken"));
        assertEquals(bundle.machineToken(), at(document, "trustdinfo", "token"));
        assertEquals(bundle.etcd().certificatePem(), fromBase64(at(document, "certs", "etcd", "crt")));
        assertEquals(bundle.os().keyPem(), fromBase64(at(document, "certs", "os", "key")));
        assertEquals(bundle.serviceAccount().privateKeyPem(),
                fromBase64(at(document, "certs", "k8sserviceaccount", "key")));
    }

    @Test
    void fromYamlNamesMalformedFieldByPath() {
        String yaml = edited(doc -> map(doc, "certs", "etcd").put("key", base64("not a key")));

        SecretsBundleException error = assertThrows(SecretsBundleException.class, () -> SecretsBundle.fromYaml(yaml));

        assertEquals(List.of("certs.etcd.key: not a valid base64 PEM private key"), error.problems());
    }

    @Test
    void fromYamlReportsEveryMissingFieldByPath() {
        String yaml = edited(doc -> {
            doc.remove("trustdinfo");
            map(doc, "cluster").remove("secret");
            map(doc, "certs", "os").remove("crt");
        });

        SecretsBundleException error = assertThrows(SecretsBundleException.class, () -> SecretsBundle.fromYaml(yaml));

        assertEquals(List.of("cluster.secret: is required", "trustdinfo: is required", "certs.os.crt: is required"),
                error.problems());
    }

    @Test
    void fromYamlReportsUnknownKeysByPath() {
        String yaml = edited(doc -> map(doc, "secrets").put("aescbcencryptionsecret", "x"));

        SecretsBundleException error = assertThrows(SecretsBundleException.class, () -> SecretsBundle.fromYaml(yaml));

        assertEquals(List.of("secrets.aescbcencryptionsecret: unknown key"), error.problems());
    }

    @Test
    void fromYamlRejectsCaKeyThatDoesNotMatchItsCertificate() {
        String yaml = edited(doc -> map(doc, "certs", "etcd").put("key", map(doc, "certs", "k8s").get("key")));

        SecretsBundleException error = assertThrows(SecretsBundleException.class, () -> SecretsBundle.fromYaml(yaml));

        assertEquals(List.of("certs.etcd.key: does not match the public key of certs.etcd.crt"), error.problems());
    }

    @Test
    void fromYamlReadsAnEd25519OsCaAsTalosWritesIt() {
        CertificateAuthority talosOs = CertificateAuthority.generate("talos", Duration.ofDays(1), CaKeyType.ED25519);
        String yaml = edited(doc -> {
            map(doc, "certs", "os").put("crt", base64(talosOs.certificatePem()));
            map(doc, "certs", "os").put("key", base64(Pem.encode("ED25519 PRIVATE KEY", talosOs.key().getEncoded())));
        });

        SecretsBundle restored = SecretsBundle.fromYaml(yaml);

        assertEquals(talosOs, restored.os());
    }

    @Test
    void fromYamlNamesAnOsCaKeyOfATypeKilnCannotSignWith() throws Exception {
        java.security.PrivateKey rsa = java.security.KeyPairGenerator.getInstance("RSA").generateKeyPair().getPrivate();
        String yaml = edited(doc -> map(doc, "certs", "os").put("key", base64(Pem.encodePrivateKey(rsa))));

        SecretsBundleException error = assertThrows(SecretsBundleException.class, () -> SecretsBundle.fromYaml(yaml));

        assertEquals(1, error.problems().size(), error.problems().toString());
        assertTrue(error.problems().get(0).startsWith("certs.os.key: "), error.problems().get(0));
        assertTrue(error.problems().get(0).contains("a CA key must be ECDSA or Ed25519; this one is RSA"),
                error.problems().get(0));
    }

    @Test
    void fromYamlReadsTalosUrlSafeClusterIdAndAggregatorCaWithoutSubjectAndKeepsThemAsWritten() throws Exception {
        String urlSafeId = "0raF93qnkMvF-FZNuvyGozXNdLiT2FOWSlyBaW4PR-w=";
        String subjectless = base64(subjectlessCaPem());
        String yaml = edited(doc -> {
            map(doc, "cluster").put("id", urlSafeId);
            map(doc, "certs", "k8saggregator").put("crt", subjectless);
        });

        SecretsBundle restored = SecretsBundle.fromYaml(yaml);

        assertEquals(urlSafeId, restored.clusterId());
        assertEquals(subjectless, restored.k8sAggregator().crt());
        assertEquals(document(yaml), document(restored.toYaml()));
    }

    @Test
    void fromYamlNamesAnAggregatorCertificateThatIsNotPem() {
        String yaml = edited(doc -> map(doc, "certs", "k8saggregator").put("crt", base64("not pem")));

        SecretsBundleException error = assertThrows(SecretsBundleException.class, () -> SecretsBundle.fromYaml(yaml));

        assertEquals(List.of("certs.k8saggregator.crt: not a valid base64 PEM certificate"), error.problems());
    }

    @Test
    void fromYamlRejectsMalformedTokenAndSecretboxKey() {
        String yaml = edited(doc -> {
            map(doc, "secrets").put("bootstraptoken", "ABCDEF.0123456789abcdef");
            map(doc, "secrets").put("secretboxencryptionsecret", base64("short"));
        });

        SecretsBundleException error = assertThrows(SecretsBundleException.class, () -> SecretsBundle.fromYaml(yaml));

        assertEquals(List.of(
                "secrets.bootstraptoken: not a valid token of the form [a-z0-9]{6}.[a-z0-9]{16}",
                "secrets.secretboxencryptionsecret: not a valid base64 32-byte key"), error.problems());
    }

    @Test
    void fromYamlReportsSyntaxErrorsWithLocation() {
        SecretsBundleException error = assertThrows(SecretsBundleException.class,
                () -> SecretsBundle.fromYaml("cluster: [unclosed"));

        assertEquals(1, error.problems().size());
        assertTrue(error.problems().get(0).startsWith("(document): invalid YAML at line"), error.problems().get(0));
    }

    @Test
    void toStringDoesNotRevealSecrets() {
        String text = bundle.toString();

        assertFalse(text.contains(bundle.clusterSecret()), text);
        assertFalse(text.contains(bundle.bootstrapToken()), text);
        assertFalse(text.contains(bundle.secretboxEncryptionSecret()), text);
    }

    /** A self-signed CA with an empty subject and issuer, as Talos generates its aggregator CA. */
    private static String subjectlessCaPem() throws Exception {
        java.security.KeyPair pair = java.security.KeyPairGenerator.getInstance("EC").generateKeyPair();
        var empty = new org.bouncycastle.asn1.x500.X500Name(new org.bouncycastle.asn1.x500.RDN[0]);
        var algorithm = new org.bouncycastle.asn1.x509.AlgorithmIdentifier(
                org.bouncycastle.asn1.x9.X9ObjectIdentifiers.ecdsa_with_SHA256);
        java.util.Date now = new java.util.Date();
        var validity = new org.bouncycastle.asn1.x509.Validity(new org.bouncycastle.asn1.x509.Time(now),
                new org.bouncycastle.asn1.x509.Time(new java.util.Date(now.getTime() + 86_400_000L)));
        var extensions = new org.bouncycastle.asn1.x509.Extensions(new org.bouncycastle.asn1.x509.Extension(
                org.bouncycastle.asn1.x509.Extension.basicConstraints, true,
                new org.bouncycastle.asn1.x509.BasicConstraints(true).getEncoded()));
        // Encoded field by field: BouncyCastle's certificate classes refuse an empty issuer.
        var tbs = new org.bouncycastle.asn1.DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] {
            new org.bouncycastle.asn1.DERTaggedObject(true, 0, new org.bouncycastle.asn1.ASN1Integer(2)),
            new org.bouncycastle.asn1.ASN1Integer(1), algorithm, empty, validity, empty,
            org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(pair.getPublic().getEncoded()),
            new org.bouncycastle.asn1.DERTaggedObject(true, 3, extensions)});
        java.security.Signature signer = java.security.Signature.getInstance("SHA256withECDSA");
        signer.initSign(pair.getPrivate());
        signer.update(tbs.getEncoded());
        var certificate = new org.bouncycastle.asn1.DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] {tbs,
                algorithm, new org.bouncycastle.asn1.DERBitString(signer.sign())});
        return Pem.encode("CERTIFICATE", certificate.getEncoded());
    }

    private static String edited(Consumer<Map<String, Object>> edit) {
        Map<String, Object> document = document(bundle.toYaml());
        edit.accept(document);
        return YamlText.dump(document);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> document(String yaml) {
        return (Map<String, Object>) YamlText.load(yaml);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> document, String... path) {
        Map<String, Object> node = document;
        for (String key : path) {
            node = (Map<String, Object>) node.get(key);
        }
        return node;
    }

    private static String at(Map<String, Object> document, String... path) {
        String[] parents = java.util.Arrays.copyOf(path, path.length - 1);
        return (String) map(document, parents).get(path[path.length - 1]);
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String fromBase64(String text) {
        return new String(Base64.getDecoder().decode(text), StandardCharsets.UTF_8);
    }
}
