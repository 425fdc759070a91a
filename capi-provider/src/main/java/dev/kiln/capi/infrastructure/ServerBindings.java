package dev.kiln.capi.infrastructure;

import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachine;
import dev.kiln.capi.cluster.GuardedConfigMaps;
import dev.kiln.capi.cluster.KilnLabels;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.Optional;

/**
 * The one server a KilnMachine is about to claim, ConfigMap {@code kiln-binding-<machine>}: created create-if-absent
 * and changed only by writes carrying its resourceVersion. Two operator instances provisioning the same machine
 * therefore agree on one server before either claims it, whatever each read of the servers' statuses.
 */
final class ServerBindings {

    private static final String SERVER = "server";
    private static final String UID = "uid";

    /** The machine's binding as read; {@code server} is empty once cleared, {@code resourceVersion} when never made. */
    record Binding(Optional<String> server, Optional<String> resourceVersion) {

        static final Binding NONE = new Binding(Optional.empty(), Optional.empty());
    }

    private final KubernetesClient client;

    ServerBindings(KubernetesClient client) {
        this.client = client;
    }

    /** A binding written for another object of the same name counts as cleared. */
    Binding read(KilnMachine machine) {
        ConfigMap map = configMap(machine);
        if (map == null) {
            return Binding.NONE;
        }
        Map<String, String> data = map.getData() == null ? Map.of() : map.getData();
        String server = data.getOrDefault(SERVER, "");
        boolean ours = machine.getMetadata().getUid() != null && machine.getMetadata().getUid().equals(data.get(UID));
        return new Binding(ours && !server.isEmpty() ? Optional.of(server) : Optional.empty(),
                Optional.of(map.getMetadata().getResourceVersion()));
    }

    /**
     * Binds the machine to {@code server} over the binding as read; on a conflict, the binding another instance wrote
     * meanwhile.
     */
    Binding bind(KilnMachine machine, String cluster, Binding read, String server) {
        return write(machine, cluster, read, server);
    }

    /** Clears a binding whose server another machine holds or that no longer exists; the next choice starts afresh. */
    Binding clear(KilnMachine machine, String cluster, Binding read) {
        return write(machine, cluster, read, "");
    }

    private Binding write(KilnMachine machine, String cluster, Binding read, String server) {
        ConfigMap map = new ConfigMapBuilder()
                .withNewMetadata()
                    .withName(name(machine))
                    .withNamespace(machine.getMetadata().getNamespace())
                    .withLabels(KilnLabels.forCluster(cluster))
                    .withOwnerReferences(KilnLabels.ownedBy(machine, false))
                    .withResourceVersion(read.resourceVersion().orElse(null))
                .endMetadata()
                .withData(Map.of(SERVER, server, UID, machine.getMetadata().getUid()))
                .build();
        return GuardedConfigMaps.write(client, map)
                .map(written -> new Binding(server.isEmpty() ? Optional.empty() : Optional.of(server),
                        Optional.of(written.getMetadata().getResourceVersion())))
                .orElseGet(() -> read(machine));
    }

    /** Once the machine lets its server go; the owner reference would remove it with the machine anyway. */
    void delete(KilnMachine machine) {
        client.configMaps().inNamespace(machine.getMetadata().getNamespace()).withName(name(machine)).delete();
    }

    private ConfigMap configMap(KilnMachine machine) {
        return client.configMaps().inNamespace(machine.getMetadata().getNamespace()).withName(name(machine)).get();
    }

    static String name(KilnMachine machine) {
        return KilnLabels.serverBindingName(machine.getMetadata().getName());
    }
}
