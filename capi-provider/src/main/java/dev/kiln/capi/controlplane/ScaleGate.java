package dev.kiln.capi.controlplane;

import dev.kiln.capi.cluster.KilnLabels;
import dev.kiln.machinery.cluster.ScaleDecision;
import dev.kiln.machinery.cluster.ScaleDecision.RefuseEvenReplicas;
import dev.kiln.machinery.cluster.ScaleDecision.ScaleUp;
import dev.kiln.machinery.cluster.ScaleDecision.Wait;
import dev.kiln.machinery.cluster.ScaleInput;
import dev.kiln.machinery.cluster.ScalePlanner;

/**
 * {@link ScalePlanner}'s decision, held back where the planner cannot see why: a completed bootstrap record with no
 * machine left (I1) and an etcd that could not be read.
 */
final class ScaleGate {

    private ScaleGate() {
    }

    static ScaleDecision decide(ControlPlaneState state) {
        if (state.desiredReplicas() < 0) {
            // Only possible without schema validation (spec.replicas has minimum 0).
            return new Wait("spec.replicas " + state.desiredReplicas() + " is negative; use 1, 3 or 5");
        }
        ScaleDecision planned = ScalePlanner.decide(new ScaleInput(state.desiredReplicas(), state.maxSurge(),
                MachineViews.of(state), state.etcd().view(), ControlPlanePlacement.of(state)));
        if (planned instanceof RefuseEvenReplicas) {
            return planned;
        }
        if (planned instanceof ScaleUp up) {
            // Before any etcd check: creating the very first machine needs no etcd, and without machines none is read.
            return gateScaleUp(state, up);
        }
        if (state.bootstrapCompleted() && state.etcd().problem().isPresent()) {
            return new Wait("etcd cannot be read: " + state.etcd().problem().get());
        }
        return planned;
    }

    private static ScaleDecision gateScaleUp(ControlPlaneState state, ScaleUp up) {
        // Before bootstrap every machine is created at once: the bootstrap provider renders a config only when it
        // names every machine etcd may be bootstrapped on (see bootstrap/EtcdPeers).
        String record = KilnLabels.bootstrapRecordName(state.clusterName());
        if (state.machines().isEmpty() && state.bootstrapCompleted()) {
            return new Wait("cannot " + up.reason() + ": etcd was bootstrapped once (bootstrap record " + record
                    + " is completed) but no control-plane machine is left to join; a new machine would need a "
                    + "second bootstrap, which Kiln never does (I1): recover etcd from a snapshot");
        }
        if (state.bootstrapCompleted() && state.etcd().problem().isPresent()) {
            return new Wait("cannot " + up.reason() + ": etcd cannot be read: " + state.etcd().problem().get());
        }
        return up;
    }
}
