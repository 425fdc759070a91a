package dev.kiln.capi.controlplane;

import dev.kiln.capi.api.controlplane.v1alpha1.KilnControlPlane;
import dev.kiln.capi.cluster.GuardedConfigMaps;
import dev.kiln.capi.cluster.KilnLabels;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keeps a KilnControlPlane's {@link CreationLedger} in a ConfigMap it owns, {@code <name>-kiln-creations}: machine
 * name to announcement time. Writes carry the read resourceVersion (or are create-if-absent), so of two instances
 * announcing from the same reading only one succeeds.
 */
final class CreationLedgerStore {

    /** Outcome of announcing a machine. */
    sealed interface Announcement {
        record Recorded() implements Announcement {
        }

        record Conflict() implements Announcement {
        }
    }

    private final KubernetesClient client;

    CreationLedgerStore(KubernetesClient client) {
        this.client = client;
    }

    CreationLedger read(KilnControlPlane controlPlane) {
        ConfigMap map = client.configMaps().inNamespace(controlPlane.getMetadata().getNamespace())
                .withName(name(controlPlane)).get();
        if (map == null) {
            return CreationLedger.EMPTY;
        }
        Map<String, Instant> announced = new LinkedHashMap<>();
        if (map.getData() != null) {
            map.getData().forEach((machine, at) -> announced.put(machine, parse(at)));
        }
        return new CreationLedger(announced, map.getMetadata().getResourceVersion());
    }

    /** Writes {@code announced} over the ledger as read; a conflict means another instance announced meanwhile. */
    Announcement write(KilnControlPlane controlPlane, String clusterName, CreationLedger read,
            Map<String, Instant> announced) {
        Map<String, String> data = new LinkedHashMap<>();
        announced.forEach((machine, at) -> data.put(machine, at.toString()));
        ConfigMap map = new ConfigMapBuilder()
                .withNewMetadata()
                    .withName(name(controlPlane))
                    .withNamespace(controlPlane.getMetadata().getNamespace())
                    .withLabels(KilnLabels.forCluster(clusterName))
                    .withOwnerReferences(KilnLabels.ownedBy(controlPlane, false))
                    .withResourceVersion(read.resourceVersion().isEmpty() ? null : read.resourceVersion())
                .endMetadata()
                .withData(data)
                .build();
        return GuardedConfigMaps.write(client, map).isPresent() ? new Announcement.Recorded()
                : new Announcement.Conflict();
    }

    /**
     * Drops {@code machine} once it exists, so deleting it soon after does not leave it in flight; a few attempts,
     * since other instances may be announcing meanwhile, and at worst the entry ages out.
     */
    void settle(KilnControlPlane controlPlane, String clusterName, Collection<String> machines) {
        for (int attempt = 0; attempt < 3; attempt++) {
            CreationLedger ledger = read(controlPlane);
            if (machines.stream().noneMatch(ledger.announced()::containsKey)) {
                return;
            }
            Map<String, Instant> rest = new LinkedHashMap<>(ledger.announced());
            rest.keySet().removeAll(machines);
            if (write(controlPlane, clusterName, ledger, rest) instanceof Announcement.Recorded) {
                return;
            }
        }
    }

    static String name(KilnControlPlane controlPlane) {
        return controlPlane.getMetadata().getName() + "-kiln-creations";
    }

    /** A value not written by Kiln counts as long ago, so it never blocks a creation. */
    private static Instant parse(String at) {
        try {
            return Instant.parse(at);
        } catch (RuntimeException e) {
            return Instant.EPOCH;
        }
    }
}
