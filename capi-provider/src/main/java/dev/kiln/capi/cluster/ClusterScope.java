package dev.kiln.capi.cluster;

import dev.kiln.capi.api.bootstrap.v1alpha1.KilnConfig;
import dev.kiln.capi.api.controlplane.v1alpha1.KilnControlPlane;
import dev.kiln.capi.core.v1beta1.Cluster;
import dev.kiln.capi.core.v1beta1.Machine;
import dev.kiln.capi.core.v1beta1.ObjectReference;
import java.util.List;
import java.util.Optional;

/**
 * Whether a Cluster API Cluster is Kiln's to act on. It is when its control plane is a KilnControlPlane, or when any
 * of its control-plane Machines is bootstrapped by a KilnConfig (a control plane made by a MachineDeployment).
 * Every other Cluster belongs to another provider: Kiln writes nothing to it, not even a finalizer or an event.
 */
public sealed interface ClusterScope {

    record Kiln(String because) implements ClusterScope {
    }

    record Foreign() implements ClusterScope {
    }

    static ClusterScope of(Cluster cluster, List<Machine> machines) {
        ObjectReference controlPlane = cluster.getSpec() == null ? null : cluster.getSpec().getControlPlaneRef();
        if (refersTo(controlPlane, KilnControlPlane.GROUP, "KilnControlPlane")) {
            return new Kiln("controlPlaneRef is KilnControlPlane " + controlPlane.getName());
        }
        Optional<Machine> kilnBootstrapped = machines.stream()
                .filter(Machine::isControlPlane)
                .filter(machine -> refersTo(bootstrapConfig(machine), KilnConfig.GROUP, "KilnConfig"))
                .findFirst();
        return kilnBootstrapped.<ClusterScope>map(machine -> new Kiln("control-plane Machine "
                + machine.getMetadata().getName() + " is bootstrapped by a KilnConfig")).orElse(new Foreign());
    }

    private static ObjectReference bootstrapConfig(Machine machine) {
        if (machine.getSpec() == null || machine.getSpec().getBootstrap() == null) {
            return null;
        }
        return machine.getSpec().getBootstrap().getConfigRef();
    }

    /** Kind and group must both be Kiln's: v1beta1 references carry the group in apiVersion, v1beta2 in apiGroup. */
    private static boolean refersTo(ObjectReference ref, String group, String kind) {
        if (ref == null || !kind.equals(ref.getKind())) {
            return false;
        }
        String apiVersion = ref.getApiVersion();
        if (apiVersion != null && !apiVersion.isBlank()) {
            return apiVersion.startsWith(group + "/");
        }
        return group.equals(ref.getAdditionalProperties().get("apiGroup"));
    }
}
