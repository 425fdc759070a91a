package dev.kiln.capi.controlplane;

import dev.kiln.capi.api.controlplane.v1alpha1.KilnControlPlane;
import dev.kiln.capi.api.controlplane.v1alpha1.KilnControlPlaneSpec;
import dev.kiln.capi.api.controlplane.v1alpha1.RolloutStrategy;
import dev.kiln.capi.api.controlplane.v1alpha1.RolloutStrategyType;
import dev.kiln.capi.cluster.BootstrapRecordStore;
import dev.kiln.capi.cluster.CachedReads;
import dev.kiln.capi.cluster.ClusterSecrets;
import dev.kiln.capi.cluster.ControlPlaneMachine;
import dev.kiln.capi.cluster.ControlPlaneMachineReader;
import dev.kiln.capi.cluster.EtcdMembershipReader;
import dev.kiln.capi.cluster.EtcdMembershipReader.Askers;
import dev.kiln.capi.cluster.EtcdObservation;
import dev.kiln.capi.cluster.KilnLabels;
import dev.kiln.capi.core.v1beta1.Cluster;
import dev.kiln.capi.core.v1beta1.Machine;
import dev.kiln.capi.node.NodeCredentials;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Objects;
import java.util.Optional;

/** Gathers a {@link ControlPlaneState}: owner Cluster, owned Machines and their nodes, etcd, bootstrap record. */
final class ControlPlaneObserver {

    private final KubernetesClient client;
    private final EtcdMembershipReader etcd;
    private final NodeVersionObserver nodeVersions;
    private final BootstrapRecordStore bootstrapRecords;

    ControlPlaneObserver(KubernetesClient client, EtcdMembershipReader etcd, NodeVersionObserver nodeVersions,
            BootstrapRecordStore bootstrapRecords) {
        this.nodeVersions = nodeVersions;
        this.client = client;
        this.etcd = etcd;
        this.bootstrapRecords = bootstrapRecords;
    }

    /** The owner Cluster: an ownerReference of kind Cluster first, else the cluster-name label. */
    static Optional<Cluster> ownerCluster(KilnControlPlane controlPlane, ControlPlaneReads reads) {
        String namespace = controlPlane.getMetadata().getNamespace();
        return ownerClusterName(controlPlane).flatMap(name -> reads.clusters().get(namespace, name));
    }

    /** The name of the owner Cluster: an ownerReference of kind Cluster first, else the cluster-name label. */
    static Optional<String> ownerClusterName(KilnControlPlane controlPlane) {
        Optional<OwnerReference> owner = KilnLabels.ownerOfKind(controlPlane, "Cluster");
        return owner.isPresent() ? Optional.of(owner.get().getName()) : KilnLabels.clusterOf(controlPlane);
    }

    ControlPlaneState observe(KilnControlPlane controlPlane, Cluster cluster, ControlPlaneReads reads) {
        KilnControlPlaneSpec spec = controlPlane.getSpec();
        String hash = ConfigHash.of(spec, client.getKubernetesSerialization());
        String namespace = controlPlane.getMetadata().getNamespace();
        Set<String> current = ConfigHash.current(spec, namespace, client.getKubernetesSerialization());
        boolean inPlace = inPlace(spec.getRolloutStrategy());
        List<ControlPlaneMachine> machines = new ControlPlaneMachineReader(reads.machineNodes())
                .read(ownedMachines(reads.machines(), controlPlane, cluster)).stream()
                .map(m -> m.withUpToDate(inPlace ? ConfigHash.matchesIgnoringVersion(m.machine(), spec, namespace,
                        client.getKubernetesSerialization()) : ConfigHash.matches(m.machine(), current)))
                .toList();
        Optional<NodeCredentials> credentials = ClusterSecrets.load(reads.secrets(), cluster.getMetadata().getNamespace(),
                cluster.getMetadata().getName()).map(NodeCredentials.ClusterAdmin::new);
        return new ControlPlaneState(controlPlane, cluster, desiredReplicas(spec), maxSurge(spec.getRolloutStrategy()),
                replaceOutdated(spec.getRolloutStrategy()), hash, nodeVersions.observe(machines, credentials),
                etcd(machines, credentials),
                bootstrapRecords.read(cluster, reads.configMaps()), credentials);
    }

    /** Asks machines that stay before those being deleted, which may be leaving etcd. */
    private EtcdObservation etcd(List<ControlPlaneMachine> machines, Optional<NodeCredentials> credentials) {
        return credentials.map(admin -> etcd.read(machines, Askers.STAYING_THEN_LEAVING, Optional.empty(), admin))
                .orElseGet(() -> EtcdObservation.unobserved("the cluster's secrets bundle does not exist yet, so no"
                        + " node can be asked"));
    }

    /** Control-plane Machines of the cluster whose controller is this KilnControlPlane, listed live. */
    static List<Machine> ownedMachines(KubernetesClient client, KilnControlPlane controlPlane, Cluster cluster) {
        return ownedMachines(CachedReads.live(client, Machine.class), controlPlane, cluster);
    }

    /** Control-plane Machines of the cluster whose controller is this KilnControlPlane. */
    static List<Machine> ownedMachines(CachedReads<Machine> machines, KilnControlPlane controlPlane, Cluster cluster) {
        return machines.list(controlPlane.getMetadata().getNamespace(),
                Map.of(KilnLabels.CLUSTER_NAME, cluster.getMetadata().getName()), Set.of(Machine.CONTROL_PLANE_LABEL),
                m -> controlledBy(m, controlPlane));
    }

    private static boolean controlledBy(Machine machine, KilnControlPlane controlPlane) {
        List<OwnerReference> owners = machine.getMetadata().getOwnerReferences();
        return owners != null && owners.stream().anyMatch(ref -> Boolean.TRUE.equals(ref.getController())
                && "KilnControlPlane".equals(ref.getKind())
                && controlPlane.getMetadata().getName().equals(ref.getName())
                && (ref.getUid() == null || Objects.equals(ref.getUid(), controlPlane.getMetadata().getUid())));
    }

    private static int desiredReplicas(KilnControlPlaneSpec spec) {
        return spec.getReplicas() == null ? 1 : spec.getReplicas();
    }

    /** The schema allows 0 and 1; anything else (only possible without schema validation) is clamped. */
    private static int maxSurge(RolloutStrategy strategy) {
        Integer value = strategy == null || strategy.getRollingUpdate() == null ? null
                : strategy.getRollingUpdate().getMaxSurge();
        return value == null ? 1 : Math.max(0, Math.min(1, value));
    }

    /** InPlace is the default: no strategy or no type. */
    static boolean inPlace(RolloutStrategy strategy) {
        return strategy == null || strategy.getType() == null || strategy.getType() == RolloutStrategyType.IN_PLACE;
    }

    private static boolean replaceOutdated(RolloutStrategy strategy) {
        return strategy == null || strategy.getType() != RolloutStrategyType.ON_DELETE;
    }
}
