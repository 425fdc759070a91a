package dev.kiln.capi.controlplane;

import dev.kiln.capi.api.common.Condition;
import dev.kiln.capi.api.common.Conditions;
import dev.kiln.capi.api.common.KstatusConditions;
import dev.kiln.capi.api.controlplane.v1alpha1.ControlPlaneInitialization;
import dev.kiln.capi.api.controlplane.v1alpha1.KilnControlPlaneStatus;
import dev.kiln.capi.api.controlplane.v1alpha1.MachineVersion;
import dev.kiln.capi.api.controlplane.v1alpha1.StatusVersion;
import dev.kiln.capi.cluster.BootstrapRecordStore;
import dev.kiln.capi.cluster.ControlPlaneMachine;
import dev.kiln.capi.cluster.EtcdObservation;
import dev.kiln.capi.cluster.KilnLabels;
import dev.kiln.capi.core.v1beta1.Machine;
import dev.kiln.capi.node.NodeApi;
import dev.kiln.machinery.cluster.EtcdView;
import dev.kiln.machinery.cluster.MemberView;
import dev.kiln.machinery.cluster.Quorum;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;

/** Computes a KilnControlPlane's status from what one pass saw and did. */
final class ControlPlaneStatusCalculator {

    static final String ETCD_CLUSTER_HEALTHY = "EtcdClusterHealthy";
    static final String MACHINES_READY = "MachinesReady";
    static final String AVAILABLE = "Available";
    static final String RESIZED = "Resized";
    static final String BOOTSTRAP_RECORDED = "BootstrapRecorded";

    private ControlPlaneStatusCalculator() {
    }

    static String selector(String clusterName) {
        return KilnLabels.CLUSTER_NAME + "=" + clusterName + "," + Machine.CONTROL_PLANE_LABEL;
    }

    static KilnControlPlaneStatus compute(KilnControlPlaneStatus previous, ControlPlaneState state, Outcome outcome,
            Clock clock) {
        KilnControlPlaneStatus status = previous == null ? new KilnControlPlaneStatus() : previous;
        long generation = state.generation();
        List<ControlPlaneMachine> live = state.liveMachines();
        int ready = count(live, m -> m.provisioned() && state.etcd().healthyVoter(m.memberName()));
        var spec = state.controlPlane().getSpec();
        boolean managedVersion = ControlPlaneObserver.inPlace(spec.getRolloutStrategy())
                && spec.getReleaseImage() != null;
        // In place, a machine is up to date once its node confirms the target, not when it was made with it.
        int upToDate = count(live, m -> m.upToDate() && (!managedVersion || m.runs(spec.getVersion())));
        List<MachineVersion> machineVersions = machineVersions(live, status.getMachineVersions());
        boolean initialized = state.bootstrapCompleted();

        status.setSelector(selector(state.clusterName()));
        status.setReplicas(live.size());
        status.setReadyReplicas(ready);
        status.setAvailableReplicas(ready);
        status.setUnavailableReplicas(live.size() - ready);
        status.setUpdatedReplicas(upToDate);
        status.setUpToDateReplicas(upToDate);
        status.setVersion(lowestVersion(machineVersions).orElse(status.getVersion()));
        List<StatusVersion> versions = countVersions(machineVersions.stream().map(MachineVersion::getVersion));
        status.setVersions(versions.isEmpty() ? status.getVersions() : versions);
        status.setMachineVersions(machineVersions.isEmpty() ? null : machineVersions);
        status.setInitialized(initialized);
        ControlPlaneInitialization initialization = new ControlPlaneInitialization();
        initialization.setControlPlaneInitialized(initialized);
        status.setInitialization(initialization);
        status.setReady(initialized && ready > 0);
        status.setObservedGeneration(generation);
        status.setLastDecision(outcome.summary());

        Conditions.set(status, etcdClusterHealthy(state, generation), clock);
        Conditions.set(status, machinesReady(live, generation), clock);
        Conditions.set(status, available(state, initialized, ready, generation), clock);
        Conditions.set(status, resized(state, outcome, live, upToDate, generation), clock);
        Conditions.set(status, bootstrapRecorded(state, generation), clock);
        KstatusConditions.record(status, ControlPlaneReadiness.decide(readinessFacts(state, outcome, ready, upToDate)),
                generation, clock);
        return status;
    }

    private static ControlPlaneReadiness.Facts readinessFacts(ControlPlaneState state, Outcome outcome, int available,
            int upToDate) {
        EtcdView etcd = state.etcd().view();
        int learners = (int) etcd.members().stream().filter(MemberView::learner).count();
        int live = state.liveMachines().size();
        return new ControlPlaneReadiness.Facts(state.desiredReplicas(), live, state.machines().size() - live, upToDate,
                available, etcd.votingCount(), learners, outcome);
    }

    private static Condition etcdClusterHealthy(ControlPlaneState state, long generation) {
        EtcdObservation etcd = state.etcd();
        if (etcd.problem().isPresent() || etcd.view().members().isEmpty()) {
            String why = etcd.problem().orElse("etcd has no members");
            return state.bootstrapCompleted()
                    ? condition(ETCD_CLUSTER_HEALTHY, Conditions.FALSE, "EtcdUnreachable", why, generation)
                    : condition(ETCD_CLUSTER_HEALTHY, Conditions.UNKNOWN, "WaitingForBootstrap",
                            "etcd is not bootstrapped yet: " + why, generation);
        }
        List<String> unhealthy = described(etcd.view(), m -> !m.healthy());
        if (!unhealthy.isEmpty()) {
            return condition(ETCD_CLUSTER_HEALTHY, Conditions.FALSE, "MembersUnhealthy",
                    "unhealthy etcd members: " + String.join(", ", unhealthy), generation);
        }
        List<String> learners = described(etcd.view(), MemberView::learner);
        if (!learners.isEmpty()) {
            return condition(ETCD_CLUSTER_HEALTHY, Conditions.FALSE, "LearnerNotPromoted",
                    "learners not promoted yet: " + String.join(", ", learners), generation);
        }
        List<String> stale = described(etcd.view(), m -> state.liveMachines().stream()
                .noneMatch(machine -> machine.memberName().equals(m.name())));
        if (!stale.isEmpty()) {
            return condition(ETCD_CLUSTER_HEALTHY, Conditions.FALSE, "MembersWithoutMachine",
                    "members without a live machine, waiting to be removed: " + String.join(", ", stale), generation);
        }
        return condition(ETCD_CLUSTER_HEALTHY, Conditions.TRUE, "Healthy",
                etcd.view().votingCount() + " voting members, all healthy", generation);
    }

    private static Condition machinesReady(List<ControlPlaneMachine> live, long generation) {
        if (live.isEmpty()) {
            return condition(MACHINES_READY, Conditions.FALSE, "NoMachines", "no control-plane machine exists",
                    generation);
        }
        List<String> failed = names(live, ControlPlaneMachine::failed);
        if (!failed.isEmpty()) {
            return condition(MACHINES_READY, Conditions.FALSE, "MachinesFailed",
                    "failed machines: " + String.join(", ", failed), generation);
        }
        List<String> provisioning = names(live, m -> !m.provisioned());
        if (!provisioning.isEmpty()) {
            return condition(MACHINES_READY, Conditions.FALSE, "MachinesProvisioning",
                    "waiting for machines to be provisioned: " + String.join(", ", provisioning), generation);
        }
        return condition(MACHINES_READY, Conditions.TRUE, "Provisioned",
                "all " + live.size() + " machines are provisioned", generation);
    }

    private static Condition available(ControlPlaneState state, boolean initialized, int ready, long generation) {
        if (!initialized) {
            return condition(AVAILABLE, Conditions.FALSE, "NotInitialized",
                    "etcd has not been bootstrapped yet", generation);
        }
        EtcdView view = state.etcd().view();
        if (!Quorum.isQuorate(view.healthyVotingCount(), view.votingCount()) || ready == 0) {
            return condition(AVAILABLE, Conditions.FALSE, "NoQuorum", view.healthyVotingCount() + " of "
                    + view.votingCount() + " voting etcd members are healthy; quorum needs "
                    + Quorum.quorumOf(view.votingCount()), generation);
        }
        return condition(AVAILABLE, Conditions.TRUE, "Available", view.healthyVotingCount() + " of "
                + view.votingCount() + " voting etcd members are healthy", generation);
    }

    private static Condition resized(ControlPlaneState state, Outcome outcome, List<ControlPlaneMachine> live,
            int upToDate, long generation) {
        boolean atDesired = !outcome.refusal()
                && live.size() == state.desiredReplicas() && upToDate == live.size()
                && state.machines().size() == live.size();
        if (atDesired) {
            return condition(RESIZED, Conditions.TRUE, "AtDesiredReplicas",
                    live.size() + " of " + state.desiredReplicas() + " machines, all up to date", generation);
        }
        return condition(RESIZED, Conditions.FALSE, outcome.reason(), outcome.message(), generation);
    }

    private static Condition bootstrapRecorded(ControlPlaneState state, long generation) {
        String name = KilnLabels.bootstrapRecordName(state.clusterName());
        Optional<BootstrapRecordStore.Record> record = state.bootstrapRecord();
        if (record.isEmpty()) {
            return condition(BOOTSTRAP_RECORDED, Conditions.FALSE, "NotRecorded", "no bootstrap record " + name
                    + " yet; the cluster etcd reconciler writes it when it bootstraps etcd", generation);
        }
        if (!record.get().completed()) {
            return condition(BOOTSTRAP_RECORDED, Conditions.FALSE, "InProgress", "bootstrap record " + name
                    + " names machine " + record.get().machine() + " but is not completed", generation);
        }
        return condition(BOOTSTRAP_RECORDED, Conditions.TRUE, "Completed", "etcd was bootstrapped on machine "
                + record.get().machine() + " (etcd cluster id " + record.get().etcdClusterId() + ")", generation);
    }

    /**
     * Each live machine's version: what its node reported this pass; for a node that did not answer (rebooting), what
     * was recorded before; else the version the Machine was made with.
     */
    static List<MachineVersion> machineVersions(List<ControlPlaneMachine> live, List<MachineVersion> previous) {
        Map<String, MachineVersion> before = new TreeMap<>();
        if (previous != null) {
            previous.forEach(v -> before.put(v.getMachine(), v));
        }
        List<MachineVersion> result = new java.util.ArrayList<>();
        for (ControlPlaneMachine machine : live.stream().sorted(Comparator.comparing(ControlPlaneMachine::name))
                .toList()) {
            if (machine.reported().isPresent()) {
                NodeApi.NodeVersion reported = machine.reported().get();
                result.add(new MachineVersion(machine.name(), reported.running(), reported.trial() ? true : null));
            } else if (before.containsKey(machine.name())) {
                result.add(before.get(machine.name()));
            } else {
                machine.version().ifPresent(v -> result.add(new MachineVersion(machine.name(), v, null)));
            }
        }
        return result;
    }

    /** Cluster API reports the lowest version any control-plane machine runs. */
    private static Optional<String> lowestVersion(List<MachineVersion> machines) {
        return machines.stream().map(MachineVersion::getVersion).min(ControlPlaneStatusCalculator::compareVersions);
    }

    /** Machines per version, oldest first; machines whose version is unknown are not counted. */
    static List<StatusVersion> versions(List<ControlPlaneMachine> live) {
        return countVersions(live.stream().map(ControlPlaneMachine::version).flatMap(Optional::stream));
    }

    private static List<StatusVersion> countVersions(java.util.stream.Stream<String> versions) {
        Map<String, Integer> replicas = new TreeMap<>(ControlPlaneStatusCalculator::compareVersions);
        versions.forEach(version -> replicas.merge(version, 1, Integer::sum));
        return replicas.entrySet().stream().map(e -> new StatusVersion(e.getKey(), e.getValue())).toList();
    }

    /** Compares dotted numeric versions such as v1.31.2 part by part; non-numeric parts compare as text. */
    static int compareVersions(String a, String b) {
        String[] left = a.replaceFirst("^v", "").split("[.+-]");
        String[] right = b.replaceFirst("^v", "").split("[.+-]");
        for (int i = 0; i < Math.min(left.length, right.length); i++) {
            int order = comparePart(left[i], right[i]);
            if (order != 0) {
                return order;
            }
        }
        return Integer.compare(left.length, right.length);
    }

    private static int comparePart(String a, String b) {
        if (a.matches("\\d{1,9}") && b.matches("\\d{1,9}")) {
            return Integer.compare(Integer.parseInt(a), Integer.parseInt(b));
        }
        return a.compareTo(b);
    }

    private static Condition condition(String type, String status, String reason, String message, long generation) {
        return new Condition(type, status, reason, message, generation);
    }

    private static int count(List<ControlPlaneMachine> machines, Predicate<ControlPlaneMachine> which) {
        return (int) machines.stream().filter(which).count();
    }

    private static List<String> names(List<ControlPlaneMachine> machines, Predicate<ControlPlaneMachine> which) {
        return machines.stream().filter(which).map(ControlPlaneMachine::name).sorted().toList();
    }

    private static List<String> described(EtcdView view, Predicate<MemberView> which) {
        return view.members().stream().filter(which).map(MemberView::describe)
                .sorted(Comparator.naturalOrder()).toList();
    }
}
