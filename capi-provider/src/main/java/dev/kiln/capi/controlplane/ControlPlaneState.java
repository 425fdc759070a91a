package dev.kiln.capi.controlplane;

import dev.kiln.capi.api.controlplane.v1alpha1.KilnControlPlane;
import dev.kiln.capi.cluster.BootstrapRecordStore;
import dev.kiln.capi.cluster.ControlPlaneMachine;
import dev.kiln.capi.cluster.EtcdObservation;
import dev.kiln.capi.core.v1beta1.Cluster;
import dev.kiln.capi.node.NodeCredentials;
import java.util.List;
import java.util.Optional;

/**
 * Everything one pass looks at, gathered before any decision.
 *
 * @param desiredReplicas   spec.replicas (default 1)
 * @param maxSurge          spec.rolloutStrategy.rollingUpdate.maxSurge (default 1)
 * @param replaceOutdated   false for the OnDelete strategy: outdated machines are replaced only when users delete them
 * @param configHash        hash of the current version, controlPlaneConfig and template reference
 * @param machines          the Machines this KilnControlPlane controls, deleting ones included
 * @param credentials       admin access to the cluster's nodes, once its secrets bundle exists
 */
record ControlPlaneState(
        KilnControlPlane controlPlane,
        Cluster cluster,
        int desiredReplicas,
        int maxSurge,
        boolean replaceOutdated,
        String configHash,
        List<ControlPlaneMachine> machines,
        EtcdObservation etcd,
        Optional<BootstrapRecordStore.Record> bootstrapRecord,
        Optional<NodeCredentials> credentials) {

    String clusterName() {
        return cluster.getMetadata().getName();
    }

    String namespace() {
        return controlPlane.getMetadata().getNamespace();
    }

    boolean bootstrapCompleted() {
        return bootstrapRecord.map(BootstrapRecordStore.Record::completed).orElse(false);
    }

    /** Machines not being deleted: the ones that count as replicas. */
    List<ControlPlaneMachine> liveMachines() {
        return machines.stream().filter(m -> !m.deleting()).toList();
    }

    Optional<ControlPlaneMachine> machine(String name) {
        return machines.stream().filter(m -> m.name().equals(name)).findFirst();
    }

    long generation() {
        Long generation = controlPlane.getMetadata().getGeneration();
        return generation == null ? 0 : generation;
    }
}
