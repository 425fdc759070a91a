package dev.kiln.capi.cluster;

import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachine;
import dev.kiln.capi.cluster.MachineNodes.MachineNode;
import dev.kiln.capi.core.v1beta1.Machine;
import dev.kiln.capi.node.NodeApi.NodeVersion;
import dev.kiln.machinery.cluster.MachineRole;
import dev.kiln.machinery.cluster.MachineView;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;

/**
 * One control-plane Machine with what was found behind it, as every reconciler of a control plane sees it.
 *
 * @param machine     the Cluster API Machine
 * @param kilnMachine its KilnMachine, once it exists
 * @param node        its server and machine API address, once a server is claimed (read with {@code kilnMachine})
 * @param upToDate    made from its KilnControlPlane's current config (under InPlace, whatever version it was made
 *                    with); true where no KilnControlPlane judges it
 * @param reported    what its node said about its version this pass; empty when it was not asked or did not answer
 */
public record ControlPlaneMachine(Machine machine, Optional<KilnMachine> kilnMachine, Optional<MachineNode> node,
        boolean upToDate, Optional<NodeVersion> reported) {

    public ControlPlaneMachine(Machine machine, Optional<KilnMachine> kilnMachine, Optional<MachineNode> node,
            boolean upToDate) {
        this(machine, kilnMachine, node, upToDate, Optional.empty());
    }

    public ControlPlaneMachine(Machine machine, Optional<KilnMachine> kilnMachine, Optional<MachineNode> node) {
        this(machine, kilnMachine, node, true);
    }

    public String name() {
        return machine.getMetadata().getName();
    }

    /**
     * The etcd member name this machine runs. The Machine, its KilnConfig and its KilnMachine share one name, so the
     * hostname is that name whichever hostname source the config uses.
     */
    public String memberName() {
        return name();
    }

    public boolean deleting() {
        return machine.isDeleting();
    }

    /** Configured and installed: the KilnMachine reported ready. */
    public boolean provisioned() {
        return kilnMachine.map(km -> km.getStatus() != null && Boolean.TRUE.equals(km.getStatus().getReady()))
                .orElse(false);
    }

    /** Provisioned, with a node, and not being deleted: a node worth asking about etcd. */
    public boolean answersForEtcd() {
        return node.isPresent() && provisioned() && !deleting();
    }

    public boolean failed() {
        return hasFailed(machine);
    }

    public boolean markedForDeletion() {
        return annotations().containsKey(Machine.DELETE_MACHINE_ANNOTATION);
    }

    public boolean holdsEtcdHook() {
        return annotations().containsKey(KilnLabels.ETCD_HOOK);
    }

    public long creationOrder() {
        return creationOrderOf(machine);
    }

    /** The version its node reports running, else the version the Machine was made with. */
    public Optional<String> version() {
        if (reported.isPresent()) {
            return Optional.of(reported.get().running());
        }
        return Optional.ofNullable(machine.getSpec() == null ? null : machine.getSpec().getVersion());
    }

    /** Its node answered running {@code version}, confirmed (not on trial). */
    public boolean runs(String version) {
        return reported.map(v -> v.running().equals(version) && !v.trial()).orElse(false);
    }

    public ControlPlaneMachine withReported(Optional<NodeVersion> answer) {
        return new ControlPlaneMachine(machine, kilnMachine, node, upToDate, answer);
    }

    public ControlPlaneMachine withUpToDate(boolean current) {
        return new ControlPlaneMachine(machine, kilnMachine, node, current, reported);
    }

    public Map<String, String> annotations() {
        Map<String, String> annotations = machine.getMetadata().getAnnotations();
        return annotations == null ? Map.of() : annotations;
    }

    /** The planners' view, outdated as {@link #upToDate} says. */
    public MachineView view() {
        return view(!upToDate);
    }

    /** The planners' view, outdated as the caller says (OnDelete hides outdated machines while the count is right). */
    public MachineView view(boolean outdated) {
        return new MachineView(
                name(),
                MachineRole.CONTROL_PLANE,
                creationOrder(),
                node.isPresent() && provisioned(),
                deleting(),
                failed(),
                // Kiln's machine config sets the node's hostname, and so its etcd member name, to the Machine name.
                Optional.of(memberName()),
                holdsEtcdHook(),
                outdated,
                markedForDeletion());
    }

    public static boolean hasFailed(Machine machine) {
        Machine.Status status = machine.getStatus();
        return status != null && (status.getFailureReason() != null || status.getFailureMessage() != null
                || "Failed".equals(status.getPhase()));
    }

    /** Epoch millis of creation; a Machine without a readable timestamp sorts last, never taken for the oldest. */
    public static long creationOrderOf(Machine machine) {
        String created = machine.getMetadata().getCreationTimestamp();
        if (created == null) {
            return Long.MAX_VALUE;
        }
        try {
            return Instant.parse(created).toEpochMilli();
        } catch (DateTimeParseException e) {
            return Long.MAX_VALUE;
        }
    }
}
