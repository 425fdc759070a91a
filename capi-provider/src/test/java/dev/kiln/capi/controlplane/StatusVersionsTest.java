package dev.kiln.capi.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.capi.api.controlplane.v1alpha1.MachineVersion;
import dev.kiln.capi.api.controlplane.v1alpha1.StatusVersion;
import dev.kiln.capi.cluster.ControlPlaneMachine;
import dev.kiln.capi.core.v1beta1.Machine;
import dev.kiln.capi.core.v1beta1.MachineSpec;
import dev.kiln.capi.node.NodeApi;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StatusVersionsTest {

    @Test
    void countsMachinesPerVersionOldestFirstComparingNumerically() {
        List<StatusVersion> versions = ControlPlaneStatusCalculator.versions(List.of(
                machine("a", "v1.10.0"), machine("b", "v1.9.3"), machine("c", "v1.10.0")));

        assertEquals(List.of("v1.9.3=1", "v1.10.0=2"), versions.stream()
                .map(v -> v.getVersion() + "=" + v.getReplicas()).toList());
    }

    @Test
    void machinesWithoutAVersionAreNotCounted() {
        List<StatusVersion> versions = ControlPlaneStatusCalculator.versions(List.of(
                machine("a", null), machine("b", "v1.31.0")));

        assertEquals(List.of("v1.31.0=1"), versions.stream().map(v -> v.getVersion() + "=" + v.getReplicas()).toList());
    }

    @Test
    void aMachineVersionIsWhatItsNodeReportsRunning() {
        ControlPlaneMachine reported = machine("a", "v0.1.0").withReported(Optional.of(
                new NodeApi.NodeVersion("v0.2.0", false, "v0.2.0", true, Optional.empty())));

        assertEquals(List.of("a=v0.2.0 trial=true"), describe(ControlPlaneStatusCalculator.machineVersions(
                List.of(reported), null)));
    }

    @Test
    void aNodeThatDoesNotAnswerKeepsItsLastReportedVersion() {
        List<MachineVersion> before = List.of(new MachineVersion("a", "v0.2.0", null));

        assertEquals(List.of("a=v0.2.0 trial=null"), describe(ControlPlaneStatusCalculator.machineVersions(
                List.of(machine("a", "v0.1.0")), before)));
    }

    @Test
    void aMachineNeverReportedHasTheVersionItWasMadeWith() {
        assertEquals(List.of("a=v0.1.0 trial=null"), describe(ControlPlaneStatusCalculator.machineVersions(
                List.of(machine("a", "v0.1.0")), List.of())));
    }

    private static List<String> describe(List<MachineVersion> versions) {
        return versions.stream().map(v -> v.getMachine() + "=" + v.getVersion() + " trial=" + v.getTrial()).toList();
    }

    private static ControlPlaneMachine machine(String name, String version) {
        Machine machine = new Machine();
        machine.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("default").build());
        machine.setSpec(new MachineSpec());
        machine.getSpec().setVersion(version);
        return new ControlPlaneMachine(machine, Optional.empty(), Optional.empty(), true);
    }
}
