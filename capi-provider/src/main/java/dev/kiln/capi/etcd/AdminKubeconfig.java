package dev.kiln.capi.etcd;

import dev.kiln.capi.cluster.CachedReads;
import dev.kiln.capi.cluster.KilnLabels;
import dev.kiln.capi.core.v1beta1.ApiEndpoint;
import dev.kiln.capi.core.v1beta1.Cluster;
import dev.kiln.machinery.pki.CertificateRequest;
import dev.kiln.machinery.pki.CertificateUsage;
import dev.kiln.machinery.pki.IssuedCertificate;
import dev.kiln.machinery.pki.Pem;
import dev.kiln.machinery.pki.SecretsBundle;
import io.fabric8.kubernetes.api.model.Config;
import io.fabric8.kubernetes.api.model.ConfigBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The workload cluster's admin kubeconfig, {@code <cluster>-kubeconfig} in the Cluster API secret contract (type
 * {@code cluster.x-k8s.io/secret}, key {@code value}): server = the Cluster's control-plane endpoint, CA = the
 * bundle's Kubernetes CA, user = a {@code kubernetes-admin} / {@code system:masters} client certificate from that CA.
 * Written when absent; rewritten, with optimistic locking, when {@link KubeconfigRenewal} says so.
 */
final class AdminKubeconfig {

    static final String KEY = "value";
    static final String ADMIN_USER = "kubernetes-admin";
    static final String ADMIN_GROUP = "system:masters";
    static final int DEFAULT_API_PORT = 6443;
    /** As Cluster API's own kubeconfig certificates; renewed well before the end (see {@link KubeconfigRenewal}). */
    static final Duration VALIDITY = Duration.ofDays(365);

    private final KubernetesClient client;

    AdminKubeconfig(KubernetesClient client) {
        this.client = client;
    }

    /** The endpoint to put in the kubeconfig, once Cluster API (from the infrastructure cluster) has set it. */
    static Optional<String> server(Cluster cluster) {
        ApiEndpoint endpoint = cluster.getSpec() == null ? null : cluster.getSpec().getControlPlaneEndpoint();
        if (endpoint == null || endpoint.getHost() == null || endpoint.getHost().isBlank()) {
            return Optional.empty();
        }
        String host = endpoint.getHost().contains(":") ? "[" + endpoint.getHost() + "]" : endpoint.getHost();
        int port = endpoint.getPort() == null ? DEFAULT_API_PORT : endpoint.getPort();
        return Optional.of("https://" + host + ":" + port);
    }

    /**
     * Writes the kubeconfig when it is missing or due for renewal.
     *
     * @return what was written, if anything; empty also when another writer won the race, whose Secret then stands
     */
    Optional<KubeconfigRenewal.Write> ensure(CachedReads<Secret> secrets, Cluster cluster, SecretsBundle bundle,
            String server, Instant now) {
        Secret current = secrets.get(cluster.getMetadata().getNamespace(), name(cluster)).orElse(null);
        KubeconfigRenewal renewal = KubeconfigRenewal.decide(stored(current), server, bundle.k8s().certificatePem(), now);
        if (!(renewal instanceof KubeconfigRenewal.Write write)) {
            return Optional.empty();
        }
        String value = base64(client.getKubernetesSerialization().asYaml(
                kubeconfig(cluster.getMetadata().getName(), bundle, server)));
        boolean written = current == null ? create(cluster, value) : replace(current, value);
        return written ? Optional.of(write) : Optional.empty();
    }

    KubeconfigRenewal.Stored stored(Secret secret) {
        if (secret == null) {
            return new KubeconfigRenewal.Stored.Missing();
        }
        try {
            String yaml = new String(Base64.getDecoder().decode(secret.getData().get(KEY)), StandardCharsets.UTF_8);
            Config config = client.getKubernetesSerialization().unmarshal(yaml, Config.class);
            var cluster = config.getClusters().get(0).getCluster();
            X509Certificate certificate = Pem.decodeCertificate(new String(Base64.getDecoder().decode(
                    config.getUsers().get(0).getUser().getClientCertificateData()), StandardCharsets.UTF_8));
            return new KubeconfigRenewal.Stored.Issued(cluster.getServer(), new String(Base64.getDecoder().decode(
                    cluster.getCertificateAuthorityData()), StandardCharsets.UTF_8),
                    certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant());
        } catch (RuntimeException e) {
            return new KubeconfigRenewal.Stored.Unreadable(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private boolean create(Cluster cluster, String value) {
        Secret secret = new SecretBuilder()
                .withNewMetadata()
                    .withName(name(cluster))
                    .withNamespace(cluster.getMetadata().getNamespace())
                    .withLabels(KilnLabels.forCluster(cluster.getMetadata().getName()))
                    .withOwnerReferences(KilnLabels.ownedBy(cluster, false))
                .endMetadata()
                .withType(KilnLabels.SECRET_TYPE)
                .addToData(KEY, value)
                .build();
        try {
            client.secrets().inNamespace(cluster.getMetadata().getNamespace()).resource(secret).create();
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            return false;
        }
    }

    /** An update at the read resourceVersion: a Secret changed since is left to the next pass. */
    private boolean replace(Secret current, String value) {
        Secret next = new SecretBuilder(current).addToData(KEY, value).build();
        try {
            client.secrets().inNamespace(current.getMetadata().getNamespace()).resource(next).update();
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            return false;
        }
    }

    static Config kubeconfig(String clusterName, SecretsBundle bundle, String server) {
        IssuedCertificate admin = bundle.k8s().issue(new CertificateRequest(ADMIN_USER, List.of(ADMIN_GROUP), List.of(),
                List.of(), CertificateUsage.CLIENT, VALIDITY));
        String user = clusterName + "-admin";
        String context = user + "@" + clusterName;
        return new ConfigBuilder()
                .withApiVersion("v1")
                .withKind("Config")
                .addNewCluster()
                    .withName(clusterName)
                    .withNewCluster()
                        .withServer(server)
                        .withCertificateAuthorityData(base64(bundle.k8s().certificatePem()))
                    .endCluster()
                .endCluster()
                .addNewUser()
                    .withName(user)
                    .withNewUser()
                        .withClientCertificateData(base64(admin.certificatePem()))
                        .withClientKeyData(base64(admin.keyPem()))
                    .endUser()
                .endUser()
                .addNewContext()
                    .withName(context)
                    .withNewContext()
                        .withCluster(clusterName)
                        .withUser(user)
                    .endContext()
                .endContext()
                .withCurrentContext(context)
                .build();
    }

    static String name(Cluster cluster) {
        return KilnLabels.kubeconfigSecretName(cluster.getMetadata().getName());
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
