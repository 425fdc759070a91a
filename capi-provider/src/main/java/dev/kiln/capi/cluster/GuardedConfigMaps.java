package dev.kiln.capi.cluster;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Optional;

/** ConfigMaps used as small locks: written only over the version that was read, so of two writers one wins. */
public final class GuardedConfigMaps {

    private GuardedConfigMaps() {
    }

    /**
     * Creates {@code map} when it carries no resourceVersion (none was read), else updates it at that version; empty
     * when another writer got there first.
     */
    public static Optional<ConfigMap> write(KubernetesClient client, ConfigMap map) {
        try {
            return Optional.of(map.getMetadata().getResourceVersion() == null ? client.resource(map).create()
                    : client.resource(map).update());
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            return Optional.empty();
        }
    }
}
