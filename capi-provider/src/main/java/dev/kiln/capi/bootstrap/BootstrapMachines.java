package dev.kiln.capi.bootstrap;

import dev.kiln.capi.api.bootstrap.v1alpha1.KilnConfig;
import dev.kiln.capi.cluster.CachedReads;
import dev.kiln.capi.cluster.KilnLabels;
import dev.kiln.capi.core.v1beta1.Machine;
import dev.kiln.capi.core.v1beta1.ObjectReference;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The Machine a KilnConfig bootstraps: finding it, and marking control-plane Machines with the etcd hook. */
final class BootstrapMachines {

    private static final String KILN_CONFIG_KIND = HasMetadata.getKind(KilnConfig.class);

    private final KubernetesClient client;
    BootstrapMachines(KubernetesClient client) {
        this.client = client;
    }

    /** The owning Machine, else a Machine of the namespace whose spec.bootstrap.configRef names the KilnConfig. */
    Optional<Machine> machineOf(CachedReads<Machine> machines, KilnConfig config) {
        String namespace = config.getMetadata().getNamespace();
        Optional<Machine> owner = KilnLabels.ownerOfKind(config, "Machine")
                .flatMap(ref -> machines.get(namespace, ref.getName()));
        if (owner.isPresent()) {
            return owner;
        }
        ResourceID self = new ResourceID(config.getMetadata().getName(), namespace);
        return machines.list(namespace, Map.of(), Set.of(), machine -> kilnConfigsNamedBy(machine).contains(self))
                .stream().findFirst();
    }

    /**
     * Adds the pre-terminate hook, so Cluster API keeps the Machine's infrastructure until its etcd member has left
     * (I3). A JSON merge patch of the one annotation: every other field of the Machine stays exactly as stored.
     */
    void addEtcdHook(Machine machine) {
        Map<String, String> annotations = machine.getMetadata().getAnnotations();
        if (machine.isDeleting() || (annotations != null && annotations.containsKey(KilnLabels.ETCD_HOOK))) {
            return;
        }
        String patch = Serialization.asJson(
                Map.of("metadata", Map.of("annotations", Map.of(KilnLabels.ETCD_HOOK, KilnLabels.HOOK_OWNER))));
        client.resources(Machine.class).inNamespace(machine.getMetadata().getNamespace())
                .withName(machine.getMetadata().getName())
                .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
    }

    /** The KilnConfig a Machine names in spec.bootstrap.configRef: the primary to reconcile when it changes. */
    static Set<ResourceID> kilnConfigsNamedBy(Machine machine) {
        ObjectReference ref = machine.getSpec() == null || machine.getSpec().getBootstrap() == null
                ? null : machine.getSpec().getBootstrap().getConfigRef();
        if (ref == null || !KILN_CONFIG_KIND.equals(ref.getKind()) || ref.getName() == null) {
            return Set.of();
        }
        String namespace = ref.getNamespace() == null || ref.getNamespace().isBlank()
                ? machine.getMetadata().getNamespace() : ref.getNamespace();
        return Set.of(new ResourceID(ref.getName(), namespace));
    }
}
