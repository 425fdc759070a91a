package dev.kiln.capi.cluster;

import dev.kiln.capi.cluster.MachineNodes.MachineNode;
import dev.kiln.capi.core.v1beta1.Machine;
import dev.kiln.machinery.cluster.MachineRole;
import dev.kiln.machinery.cluster.MachineView;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;

/** Turns a control-plane Machine and the node behind it into the planners' {@link MachineView}. */
public final class ControlPlaneMachineViews {

    private ControlPlaneMachineViews() {
    }

    public static MachineView of(Machine machine, Optional<MachineNode> node, boolean outdated) {
        Map<String, String> annotations = machine.getMetadata().getAnnotations() == null ? Map.of()
                : machine.getMetadata().getAnnotations();
        String name = machine.getMetadata().getName();
        return new MachineView(
                name,
                MachineRole.CONTROL_PLANE,
                creationOrder(machine),
                node.map(MachineNode::provisioned).orElse(false),
                machine.isDeleting(),
                failed(machine),
                // Kiln's machine config sets the node's hostname, and so its etcd member name, to the Machine name.
                Optional.of(name),
                annotations.containsKey(KilnLabels.ETCD_HOOK),
                outdated,
                annotations.containsKey(Machine.DELETE_MACHINE_ANNOTATION));
    }

    public static boolean failed(Machine machine) {
        Machine.Status status = machine.getStatus();
        return status != null && (status.getFailureReason() != null || status.getFailureMessage() != null
                || "Failed".equals(status.getPhase()));
    }

    /** Epoch millis of creation; a Machine without a readable timestamp sorts last, never taken for the oldest. */
    public static long creationOrder(Machine machine) {
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
