package dev.kiln.capi.controlplane;

import dev.kiln.capi.api.bootstrap.v1alpha1.GenerateType;
import dev.kiln.capi.api.bootstrap.v1alpha1.KilnConfigSpec;
import dev.kiln.capi.api.controlplane.v1alpha1.KilnControlPlaneSpec;
import dev.kiln.capi.bootstrap.BootstrapDataBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * What in a KilnControlPlane's spec keeps it from building machines, each problem naming its field. Pure: checked
 * before any decision, so a bad spec neither creates a machine that could never boot nor deletes one for a rollout
 * that could never finish. Whether the referenced template exists is not a spec problem; it is read when a machine
 * is made.
 */
final class ControlPlaneSpecCheck {

    static final String CONFIG_FIELD = "spec.controlPlaneConfig";

    private ControlPlaneSpecCheck() {
    }

    static List<String> problems(KilnControlPlaneSpec spec) {
        List<String> problems = new ArrayList<>();
        MachineTemplateRef.problem(spec.getMachineTemplate()).ifPresent(problems::add);
        problems.addAll(DeletionTimeouts.problems(spec.getMachineTemplate()));
        KilnConfigSpec config = spec.getControlPlaneConfig();
        if (config == null) {
            return problems;
        }
        // Checked as given: the KilnConfig written later has its type forced to controlplane, which would hide a typo.
        if (config.getGenerateType() != null && GenerateType.fromWireName(config.getGenerateType()).isEmpty()) {
            problems.add(CONFIG_FIELD + ".generateType: must be controlplane, worker or none");
        }
        for (String problem : BootstrapDataBuilder.specProblems(MachineFactory.controlPlaneConfig(config))) {
            problems.add(problem.replaceAll("(^|\\s)spec\\.", "$1" + CONFIG_FIELD + "."));
        }
        return problems;
    }
}
