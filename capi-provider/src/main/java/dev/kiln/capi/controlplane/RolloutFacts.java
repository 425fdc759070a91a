package dev.kiln.capi.controlplane;

import dev.kiln.capi.api.controlplane.v1alpha1.KilnControlPlaneSpec;
import dev.kiln.capi.cluster.ControlPlaneMachine;
import dev.kiln.capi.cluster.EtcdObservation;
import dev.kiln.capi.controlplane.upgrade.UpgradeFacts;
import dev.kiln.capi.controlplane.upgrade.UpgradeFacts.MachineFacts;
import dev.kiln.capi.controlplane.upgrade.UpgradeFacts.Member;
import dev.kiln.capi.controlplane.upgrade.UpgradeFacts.NodeReport;
import dev.kiln.capi.controlplane.upgrade.UpgradeFacts.Target;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A pass's {@link ControlPlaneState} as the plain facts the upgrade planner reads. */
final class RolloutFacts {

    private RolloutFacts() {
    }

    static UpgradeFacts of(ControlPlaneState state, Instant now, Duration timeout) {
        KilnControlPlaneSpec spec = state.controlPlane().getSpec();
        Target target = new Target(spec.getVersion(), Optional.ofNullable(spec.getReleaseImage()));
        List<MachineFacts> machines = state.liveMachines().stream()
                .filter(ControlPlaneMachine::provisioned)
                .map(m -> new MachineFacts(m.name(), m.reported().map(v -> new NodeReport(v.running(), v.trial(),
                        v.lastRollback())), UpgradeRecord.read(m.annotations())))
                .toList();
        EtcdObservation etcd = state.etcd();
        List<Member> members = etcd.view().members().stream()
                .map(m -> {
                    EtcdObservation.RaftProgress raft = etcd.raft(m.id())
                            .orElse(new EtcdObservation.RaftProgress(0, 0));
                    return new Member(m.started() ? m.name() : m.describe(), !m.learner(), m.healthy(),
                            etcd.leaderId() != 0 && m.id() == etcd.leaderId(), raft.raftIndex(), raft.appliedIndex());
                })
                .toList();
        return new UpgradeFacts(target, machines, members, now, timeout);
    }
}
