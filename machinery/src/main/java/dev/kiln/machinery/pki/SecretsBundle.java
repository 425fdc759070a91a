package dev.kiln.machinery.pki;

import dev.kiln.machinery.config.PemContent;
import dev.kiln.machinery.config.PemPair;
import dev.kiln.machinery.yaml.YamlMapping;
import dev.kiln.machinery.yaml.YamlProblems;
import dev.kiln.machinery.yaml.YamlText;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Every secret a cluster is born with; YAML holds certificates and keys as base64-encoded PEM. The aggregator CA is
 * Kubernetes's alone: Kiln never signs with it, so it is kept as written (Talos writes one with an empty subject and
 * issuer, which the JDK's X.509 parser refuses).
 */
public record SecretsBundle(
        String clusterId,
        String clusterSecret,
        String bootstrapToken,
        String machineToken,
        String secretboxEncryptionSecret,
        CertificateAuthority os,
        CertificateAuthority etcd,
        CertificateAuthority k8s,
        PemPair k8sAggregator,
        ServiceAccountKey serviceAccount) {

    public static final Duration CA_VALIDITY = Duration.ofDays(3650);
    public static final String OS_CA_NAME = "kiln-os";
    public static final String ETCD_CA_NAME = "etcd";
    public static final String K8S_CA_NAME = "kubernetes";
    public static final String K8S_AGGREGATOR_CA_NAME = "kubernetes-aggregator";

    private static final int SECRET_BYTES = 32;
    private static final String BASE64_SECRET = "base64 value";
    // Talos wrote the id in URL-safe base64 before 1.14, as ConfigValidator accepts it in cluster.id.
    private static final String ID = "base64 (standard or URL-safe) value";
    private static final String SECRETBOX_KEY = "base64 32-byte key";
    private static final String TOKEN = "token of the form [a-z0-9]{6}.[a-z0-9]{16}";
    private static final String PEM_CERTIFICATE = "base64 PEM certificate";
    private static final String PEM_PRIVATE_KEY = "base64 PEM private key";

    public SecretsBundle {
        requireId(clusterId);
        requireBase64(clusterSecret, "clusterSecret");
        BootstrapToken.require(bootstrapToken);
        BootstrapToken.require(machineToken);
        requireSecretboxKey(secretboxEncryptionSecret);
        Objects.requireNonNull(os, "os");
        Objects.requireNonNull(etcd, "etcd");
        Objects.requireNonNull(k8s, "k8s");
        Objects.requireNonNull(k8sAggregator, "k8sAggregator");
        Objects.requireNonNull(serviceAccount, "serviceAccount");
    }

    public static SecretsBundle generate() {
        SecureRandom random = new SecureRandom();
        return new SecretsBundle(
                randomBase64(random),
                randomBase64(random),
                BootstrapToken.generate(random),
                BootstrapToken.generate(random),
                randomBase64(random),
                CertificateAuthority.generate(OS_CA_NAME, CA_VALIDITY),
                CertificateAuthority.generate(ETCD_CA_NAME, CA_VALIDITY),
                CertificateAuthority.generate(K8S_CA_NAME, CA_VALIDITY),
                aggregatorPair(CertificateAuthority.generate(K8S_AGGREGATOR_CA_NAME, CA_VALIDITY)),
                ServiceAccountKey.generate());
    }

    public String toYaml() {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("cluster", ordered("id", clusterId, "secret", clusterSecret));
        document.put("secrets", ordered("bootstraptoken", bootstrapToken,
                "secretboxencryptionsecret", secretboxEncryptionSecret));
        document.put("trustdinfo", ordered("token", machineToken));
        Map<String, Object> certs = new LinkedHashMap<>();
        certs.put("etcd", caYaml(etcd));
        certs.put("k8s", caYaml(k8s));
        certs.put("k8saggregator", ordered("crt", k8sAggregator.crt(), "key", k8sAggregator.key()));
        certs.put("k8sserviceaccount", ordered("key", base64(serviceAccount.privateKeyPem())));
        certs.put("os", caYaml(os));
        document.put("certs", certs);
        return YamlText.dump(document);
    }

    /** Parses and validates a bundle, reporting every problem by its path. */
    public static SecretsBundle fromYaml(String yaml) {
        YamlProblems problems = new YamlProblems();
        YamlMapping root = YamlMapping.parse(yaml, problems);

        YamlMapping cluster = root.requiredMapping("cluster");
        String clusterId = cluster.required("id", ID, SecretsBundle::requireId);
        String clusterSecret = cluster.required("secret", BASE64_SECRET, SecretsBundle::requireBase64);
        cluster.rejectUnknownKeys();

        YamlMapping secrets = root.requiredMapping("secrets");
        String bootstrapToken = secrets.required("bootstraptoken", TOKEN, BootstrapToken::require);
        String secretbox = secrets.required("secretboxencryptionsecret", SECRETBOX_KEY,
                SecretsBundle::requireSecretboxKey);
        secrets.rejectUnknownKeys();

        YamlMapping trustd = root.requiredMapping("trustdinfo");
        String machineToken = trustd.required("token", TOKEN, BootstrapToken::require);
        trustd.rejectUnknownKeys();

        YamlMapping certs = root.requiredMapping("certs");
        CertificateAuthority etcd = readCa(certs.requiredMapping("etcd"));
        CertificateAuthority k8s = readCa(certs.requiredMapping("k8s"));
        PemPair k8sAggregator = readOpaquePair(certs.requiredMapping("k8saggregator"));
        YamlMapping serviceAccountNode = certs.requiredMapping("k8sserviceaccount");
        PrivateKey serviceAccountKey = serviceAccountNode.required("key", PEM_PRIVATE_KEY,
                SecretsBundle::decodeEcPrivateKey);
        serviceAccountNode.rejectUnknownKeys();
        CertificateAuthority os = readCa(certs.requiredMapping("os"));
        certs.rejectUnknownKeys();
        root.rejectUnknownKeys();

        if (!problems.isEmpty()) {
            throw new SecretsBundleException(problems.list());
        }
        return new SecretsBundle(clusterId, clusterSecret, bootstrapToken, machineToken, secretbox,
                os, etcd, k8s, k8sAggregator, new ServiceAccountKey(serviceAccountKey));
    }

    @Override
    public String toString() {
        return "SecretsBundle[clusterId=" + clusterId + ", os=" + os + ", etcd=" + etcd + ", k8s=" + k8s
                + ", k8sAggregator kept as written, secrets redacted]";
    }

    private static CertificateAuthority readCa(YamlMapping node) {
        X509Certificate certificate = node.required("crt", PEM_CERTIFICATE,
                text -> Pem.decodeCertificate(fromBase64(text)));
        PrivateKey key = node.required("key", PEM_PRIVATE_KEY, text -> Pem.decodePrivateKey(fromBase64(text)));
        node.rejectUnknownKeys();
        if (certificate == null || key == null) {
            return null;
        }
        if (certificate.getBasicConstraints() < 0) {
            node.problem("crt", "not a CA certificate (basicConstraints CA:true missing)");
            return null;
        }
        CaKeyType keyType;
        try {
            keyType = CaKeyType.of(key);
        } catch (IllegalArgumentException e) {
            node.problem("key", e.getMessage());
            return null;
        }
        if (!keyType.matches(key, certificate.getPublicKey())) {
            node.problem("key", "does not match the public key of " + node.pathOf("crt"));
            return null;
        }
        return new CertificateAuthority(certificate, key);
    }

    private static PrivateKey decodeEcPrivateKey(String base64Pem) {
        return EcKeys.requireEc(Pem.decodePrivateKey(fromBase64(base64Pem)));
    }

    private static Map<String, Object> caYaml(CertificateAuthority ca) {
        return ordered("crt", base64(ca.certificatePem()), "key", base64(ca.keyPem()));
    }

    private static Map<String, Object> ordered(String... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private static String randomBase64(SecureRandom random) {
        byte[] bytes = new byte[SECRET_BYTES];
        random.nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static String base64(String pem) {
        return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.UTF_8));
    }

    private static String fromBase64(String text) {
        return new String(Base64.getDecoder().decode(text.strip()), StandardCharsets.UTF_8);
    }

    private static String requireId(String value) {
        Objects.requireNonNull(value, "clusterId");
        if (value.isEmpty() || !PemContent.isBase64OrUrlSafeBase64(value)) {
            throw new IllegalArgumentException("clusterId must be base64 (standard or URL-safe)");
        }
        return value;
    }

    private static PemPair aggregatorPair(CertificateAuthority ca) {
        return PemPair.fromPem(ca.certificatePem(), ca.keyPem());
    }

    /** A certificate and key checked only for being base64 PEM of their kinds. */
    private static PemPair readOpaquePair(YamlMapping node) {
        String crt = node.required("crt", PEM_CERTIFICATE, text -> requirePem(text, PemContent.isCertificate(text)));
        String key = node.required("key", PEM_PRIVATE_KEY, text -> requirePem(text, PemContent.isPrivateKey(text)));
        node.rejectUnknownKeys();
        return crt == null || key == null ? null : new PemPair(crt, key);
    }

    private static String requirePem(String text, boolean ofItsKind) {
        if (!ofItsKind) {
            throw new IllegalArgumentException("not base64 PEM of the expected kind");
        }
        return text;
    }

    private static String requireBase64(String value) {
        return requireBase64(value, "value");
    }

    private static String requireBase64(String value, String name) {
        Objects.requireNonNull(value, name);
        if (Base64.getDecoder().decode(value).length == 0) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
        return value;
    }

    private static String requireSecretboxKey(String value) {
        Objects.requireNonNull(value, "secretboxEncryptionSecret");
        if (Base64.getDecoder().decode(value).length != SECRET_BYTES) {
            throw new IllegalArgumentException("secretbox encryption secret must be " + SECRET_BYTES + " bytes");
        }
        return value;
    }
}
