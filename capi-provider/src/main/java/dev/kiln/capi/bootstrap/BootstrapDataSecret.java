package dev.kiln.capi.bootstrap;

import dev.kiln.capi.api.bootstrap.v1alpha1.KilnConfig;
import dev.kiln.capi.cluster.CachedReads;
import dev.kiln.capi.cluster.KilnLabels;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.Predicate;

/**
 * The bootstrap data Secret of one KilnConfig: same name and namespace, type {@code cluster.x-k8s.io/secret}, key
 * {@code value}, controlled by the KilnConfig. Written once and never rewritten: Cluster API treats bootstrap data as
 * immutable for the life of its Machine.
 */
final class BootstrapDataSecret {

    static final String VALUE_KEY = "value";

    /** How the stored Secret relates to the config built now. */
    enum State {
        /** This call created it. */
        CREATED,
        /** It holds the config built now (with the etcd peers it was written with). */
        MATCHES,
        /** It holds an earlier config; it is kept as it is. */
        DIFFERS,
        /** A Secret of that name exists that this KilnConfig does not control; it is left alone. */
        FOREIGN
    }

    /** The state, and the stored config when there is one of ours. */
    record Stored(State state, String configYaml) {
    }

    private final KubernetesClient client;

    BootstrapDataSecret(KubernetesClient client) {
        this.client = client;
    }

    /**
     * The Secret as it is now, without writing anything; null when absent. {@code current} says whether stored data is
     * the config built now.
     */
    Stored inspect(CachedReads<Secret> secrets, KilnConfig config, Predicate<String> current) {
        Secret existing = secrets.get(config.getMetadata().getNamespace(), config.getMetadata().getName()).orElse(null);
        return existing == null ? null : compare(existing, config, current);
    }

    /** Creates the Secret if absent; if another writer got there first, reports how theirs compares. */
    Stored createIfAbsent(KilnConfig config, String clusterName, String configYaml, Predicate<String> current) {
        Secret secret = new SecretBuilder()
                .withNewMetadata()
                    .withName(config.getMetadata().getName())
                    .withNamespace(config.getMetadata().getNamespace())
                    .withLabels(KilnLabels.forBootstrapData(clusterName))
                    .withOwnerReferences(KilnLabels.ownedBy(config, true))
                .endMetadata()
                .withType(KilnLabels.SECRET_TYPE)
                .addToData(VALUE_KEY, base64(configYaml))
                .build();
        try {
            client.secrets().inNamespace(config.getMetadata().getNamespace()).resource(secret).create();
            return new Stored(State.CREATED, configYaml);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
        }
        Stored raced = inspect(CachedReads.live(client, Secret.class), config, current);
        if (raced == null) {
            throw new IllegalStateException(
                    "Secret " + config.getMetadata().getName() + " conflicted but is gone; retrying");
        }
        return raced;
    }

    private static Stored compare(Secret existing, KilnConfig config, Predicate<String> current) {
        if (!controlledBy(existing, config)) {
            return new Stored(State.FOREIGN, null);
        }
        String stored = existing.getData() == null ? null : existing.getData().get(VALUE_KEY);
        String storedYaml = stored == null
                ? null : new String(Base64.getDecoder().decode(stored), StandardCharsets.UTF_8);
        return new Stored(storedYaml != null && current.test(storedYaml) ? State.MATCHES : State.DIFFERS, storedYaml);
    }

    private static boolean controlledBy(Secret secret, KilnConfig config) {
        if (secret.getMetadata().getOwnerReferences() == null) {
            return false;
        }
        for (OwnerReference ref : secret.getMetadata().getOwnerReferences()) {
            if (Boolean.TRUE.equals(ref.getController()) && config.getMetadata().getUid() != null
                    && config.getMetadata().getUid().equals(ref.getUid())) {
                return true;
            }
        }
        return false;
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
