package dev.kiln.capi.cluster;

import dev.kiln.capi.core.v1beta1.Cluster;
import dev.kiln.machinery.pki.SecretsBundle;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The cluster's secrets bundle, generated once and kept in a Secret whose name is its lock. A Secret of that name
 * that {@link SecretsBundleTrust} does not trust is never used nor overwritten.
 */
public final class ClusterSecrets {

    /** A Secret holds the bundle's name but is not trusted; the message names it. */
    public static final class UntrustedBundleException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UntrustedBundleException(String message) {
            super(message);
        }
    }

    static final String BUNDLE_KEY = "bundle";

    private ClusterSecrets() {
    }

    /**
     * Reads the bundle, creating it first if absent; of two concurrent creators, the second reads the first's.
     *
     * @throws UntrustedBundleException when a Secret of the bundle's name exists that Kiln does not trust
     */
    public static SecretsBundle loadOrCreate(KubernetesClient client, Cluster cluster) {
        return loadOrCreate(CachedReads.live(client, Secret.class), client, cluster);
    }

    /** Like {@link #loadOrCreate(KubernetesClient, Cluster)}, read through {@code secrets}. */
    public static SecretsBundle loadOrCreate(CachedReads<Secret> secrets, KubernetesClient client, Cluster cluster) {
        String namespace = cluster.getMetadata().getNamespace();
        String name = KilnLabels.secretsBundleName(cluster.getMetadata().getName());
        Secret existing = secrets.get(namespace, name).orElse(null);
        if (existing != null) {
            return decode(trusted(existing, cluster.getMetadata().getName(), cluster.getMetadata().getUid()));
        }
        SecretsBundle fresh = SecretsBundle.generate();
        Secret secret = new SecretBuilder()
                .withNewMetadata()
                    .withName(name)
                    .withNamespace(namespace)
                    .withLabels(KilnLabels.forCluster(cluster.getMetadata().getName()))
                    .withOwnerReferences(KilnLabels.ownedBy(cluster, false))
                .endMetadata()
                .withType(KilnLabels.SECRET_TYPE)
                .addToData(BUNDLE_KEY, base64(fresh.toYaml()))
                .build();
        try {
            client.secrets().inNamespace(namespace).resource(secret).create();
            return fresh;
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            return decode(trusted(client.secrets().inNamespace(namespace).withName(name).get(),
                    cluster.getMetadata().getName(), cluster.getMetadata().getUid()));
        }
    }

    /** The bundle if it exists and is trusted; an untrusted Secret reads as absent (KilnConfig reports it). */
    public static java.util.Optional<SecretsBundle> load(KubernetesClient client, String namespace, String cluster) {
        return load(CachedReads.live(client, Secret.class), namespace, cluster);
    }

    /** Like {@link #load(KubernetesClient, String, String)}, read through {@code secrets}. */
    public static java.util.Optional<SecretsBundle> load(CachedReads<Secret> secrets, String namespace, String cluster) {
        Secret existing = secrets.get(namespace, KilnLabels.secretsBundleName(cluster)).orElse(null);
        if (existing == null || SecretsBundleTrust.judge(facts(existing, cluster, null))
                instanceof SecretsBundleTrust.Verdict.Untrusted) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(decode(existing));
    }

    private static Secret trusted(Secret secret, String cluster, String clusterUid) {
        if (SecretsBundleTrust.judge(facts(secret, cluster, clusterUid))
                instanceof SecretsBundleTrust.Verdict.Untrusted untrusted) {
            throw new UntrustedBundleException(untrusted.message());
        }
        return secret;
    }

    private static SecretsBundleTrust.Facts facts(Secret secret, String cluster, String clusterUid) {
        return new SecretsBundleTrust.Facts(secret.getMetadata().getName(), secret.getMetadata().getLabels(),
                secret.getMetadata().getAnnotations(), secret.getMetadata().getOwnerReferences(), cluster, clusterUid);
    }

    private static SecretsBundle decode(Secret secret) {
        return DecodedBundles.of(secret, ClusterSecrets::decodeNow);
    }

    private static SecretsBundle decodeNow(Secret secret) {
        String encoded = secret.getData() == null ? null : secret.getData().get(BUNDLE_KEY);
        if (encoded == null) {
            throw new IllegalStateException("Secret " + secret.getMetadata().getName() + " has no key " + BUNDLE_KEY);
        }
        return SecretsBundle.fromYaml(new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8));
    }

    static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
