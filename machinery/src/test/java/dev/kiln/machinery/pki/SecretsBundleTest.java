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
                bundle.k8sAggregator().certificate().getSubjectX500Principal().getName());
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
