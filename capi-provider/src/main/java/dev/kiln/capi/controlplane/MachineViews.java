package dev.kiln.capi.controlplane;

import dev.kiln.capi.cluster.ControlPlaneMachine;
import dev.kiln.machinery.cluster.MachineView;
import java.util.List;

/** Turns the observed Machines into the planner's {@link MachineView}s. */
final class MachineViews {

    private MachineViews() {
    }

    static List<MachineView> of(ControlPlaneState state) {
        // OnDelete: while the count is right, outdated machines are not replaced, so the planner must not see them
        // as outdated; when scaling down they still go first.
        boolean hideOutdated = !state.replaceOutdated() && state.liveMachines().size() == state.desiredReplicas();
        return state.machines().stream().map(m -> view(m, hideOutdated)).toList();
    }

    private static MachineView view(ControlPlaneMachine m, boolean hideOutdated) {
        return m.view(!hideOutdated && !m.upToDate());
    }
}
