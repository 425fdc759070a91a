package dev.kiln.capi.controlplane;

import dev.kiln.capi.cluster.ControlPlaneMachine;
import dev.kiln.capi.core.v1beta1.Cluster;
import dev.kiln.machinery.cluster.Placement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The planner's {@link Placement}: the Cluster's control-plane failure domains and where each Machine was put. */
final class ControlPlanePlacement {

    private ControlPlanePlacement() {
    }

    static Placement of(ControlPlaneState state) {
        Map<String, String> placed = new HashMap<>();
        for (ControlPlaneMachine m : state.machines()) {
            String domain = m.machine().getSpec() == null ? null : m.machine().getSpec().getFailureDomain();
            if (domain != null && !domain.isEmpty()) {
                placed.put(m.name(), domain);
            }
        }
        return new Placement(controlPlaneDomains(state.cluster()), placed);
    }

    /** Domains of Cluster.status.failureDomains marked fit for control-plane machines. */
    static List<String> controlPlaneDomains(Cluster cluster) {
        var domains = cluster.getStatus() == null ? null : cluster.getStatus().getFailureDomains();
        if (domains == null) {
            return List.of();
        }
        return domains.entrySet().stream()
                .filter(e -> !e.getKey().isEmpty() && e.getValue() != null
                        && Boolean.TRUE.equals(e.getValue().getControlPlane()))
                .map(Map.Entry::getKey)
                .toList();
    }
}
