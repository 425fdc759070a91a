package dev.kiln.capi.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.capi.api.bootstrap.v1alpha1.ConfigPatch;
import dev.kiln.capi.api.bootstrap.v1alpha1.KilnConfigSpec;
import dev.kiln.capi.api.bootstrap.v1alpha1.PatchOp;
import dev.kiln.capi.api.common.ContractVersionedRef;
import dev.kiln.capi.api.common.ObjectRef;
import dev.kiln.capi.api.controlplane.v1alpha1.KilnControlPlaneSpec;
import dev.kiln.capi.api.controlplane.v1alpha1.MachineDeletion;
import dev.kiln.capi.api.controlplane.v1alpha1.MachineTemplate;
import dev.kiln.capi.api.controlplane.v1alpha1.MachineTemplateSpec;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnCluster;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import org.junit.jupiter.api.Test;

class ControlPlaneSpecCheckTest {

    @Test
    void aValidSpecHasNoProblems() {
        assertEquals(List.of(), ControlPlaneSpecCheck.problems(spec(new KilnConfigSpec())));
    }

    @Test
    void anUnknownGenerateTypeIsNamedAlthoughNewMachinesWouldForceControlplane() {
        KilnConfigSpec config = new KilnConfigSpec();
        config.setGenerateType("bogus");

        assertEquals(List.of("spec.controlPlaneConfig.generateType: must be controlplane, worker or none"),
                ControlPlaneSpecCheck.problems(spec(config)));
    }

    @Test
    void aMalformedJsonPatchIsNamedByIndexUnderControlPlaneConfig() {
        KilnConfigSpec config = new KilnConfigSpec();
        config.setConfigPatches(List.of(new ConfigPatch(PatchOp.REPLACE, "machine.install.disk",
                Serialization.jsonMapper().valueToTree("/dev/vda"))));

        List<String> problems = ControlPlaneSpecCheck.problems(spec(config));

        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("spec.controlPlaneConfig.configPatches[0].path: "), problems.get(0));
    }

    @Test
    void aMalformedStrategicPatchIsNamedByIndexUnderControlPlaneConfig() {
        KilnConfigSpec config = new KilnConfigSpec();
        config.setStrategicPatches(List.of("machine:\n  install:\n    disk: /dev/vda\n", "[not, a, mapping]"));

        List<String> problems = ControlPlaneSpecCheck.problems(spec(config));

        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("spec.controlPlaneConfig.strategicPatches[1] "), problems.get(0));
    }

    @Test
    void aPatchReplacingTheEtcdCaIsRefusedByIndexUnderControlPlaneConfig() {
        KilnConfigSpec config = new KilnConfigSpec();
        config.setConfigPatches(List.of(new ConfigPatch(PatchOp.REPLACE, "/machine/install/disk",
                Serialization.jsonMapper().valueToTree("/dev/vda")), new ConfigPatch(PatchOp.REPLACE,
                "/cluster/etcd/ca/key", Serialization.jsonMapper().valueToTree("aGk="))));

        assertEquals(List.of("spec.controlPlaneConfig.configPatches[1].path: /cluster/etcd/ca/key may not be patched"),
                ControlPlaneSpecCheck.problems(spec(config)));
    }

    @Test
    void aMissingInfrastructureRefIsNamed() {
        KilnControlPlaneSpec spec = spec(null);
        spec.getMachineTemplate().getSpec().setInfrastructureRef(null);

        assertEquals(List.of("spec.machineTemplate.spec.infrastructureRef is not set; it must name a KilnMachineTemplate"),
                ControlPlaneSpecCheck.problems(spec));
    }

    @Test
    void theDeprecatedInfrastructureRefAloneIsAccepted() {
        KilnControlPlaneSpec spec = spec(null);
        spec.getMachineTemplate().setSpec(null);
        spec.getMachineTemplate().setInfrastructureRef(deprecatedRef("cp-template"));
        spec.getMachineTemplate().setNodeDrainTimeout("1m30s");

        assertEquals(List.of(), ControlPlaneSpecCheck.problems(spec));
    }

    @Test
    void bothInfrastructureRefsNamingTheSameTemplateAreAccepted() {
        KilnControlPlaneSpec spec = spec(null);
        spec.getMachineTemplate().setInfrastructureRef(deprecatedRef("cp-template"));

        assertEquals(List.of(), ControlPlaneSpecCheck.problems(spec));
    }

    @Test
    void conflictingInfrastructureRefsAreRefusedNamingBothPaths() {
        KilnControlPlaneSpec spec = spec(null);
        spec.getMachineTemplate().setInfrastructureRef(deprecatedRef("older-template"));

        List<String> problems = ControlPlaneSpecCheck.problems(spec);

        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("spec.machineTemplate.spec.infrastructureRef "), problems.get(0));
        assertTrue(problems.get(0).contains("deprecated spec.machineTemplate.infrastructureRef "), problems.get(0));
        assertTrue(problems.get(0).contains("older-template"), problems.get(0));
    }

    @Test
    void conflictingDrainTimeoutsAreRefusedNamingBothPaths() {
        KilnControlPlaneSpec spec = drainingIn(60, "5m");

        assertEquals(List.of("spec.machineTemplate.spec.deletion.nodeDrainTimeoutSeconds (60) and the deprecated "
                + "spec.machineTemplate.nodeDrainTimeout (5m) disagree; keep only "
                + "spec.machineTemplate.spec.deletion.nodeDrainTimeoutSeconds"), ControlPlaneSpecCheck.problems(spec));
    }

    @Test
    void equalDrainTimeoutsInBothShapesAreAccepted() {
        KilnControlPlaneSpec spec = drainingIn(300, "5m");

        assertEquals(List.of(), ControlPlaneSpecCheck.problems(spec));
    }

    @Test
    void anUnreadableDeprecatedDrainTimeoutIsNamed() {
        KilnControlPlaneSpec spec = spec(null);
        spec.getMachineTemplate().setNodeDrainTimeout("five minutes");

        assertEquals(List.of("spec.machineTemplate.nodeDrainTimeout \"five minutes\" is not a duration such as 90s or 5m"),
                ControlPlaneSpecCheck.problems(spec));
    }

    @Test
    void aTemplateRefInAnotherGroupIsNamedByItsApiGroup() {
        KilnControlPlaneSpec spec = spec(null);
        spec.getMachineTemplate().getSpec().getInfrastructureRef().setApiGroup("infrastructure.example.com");

        assertEquals(List.of("spec.machineTemplate.spec.infrastructureRef has apiGroup infrastructure.example.com; "
                + "expected infrastructure.cluster.x-k8s.io"), ControlPlaneSpecCheck.problems(spec));
    }

    @Test
    void aMissingMachineTemplateIsNamedByItsInfrastructureRef() {
        KilnControlPlaneSpec spec = spec(null);
        spec.setMachineTemplate(null);

        List<String> problems = ControlPlaneSpecCheck.problems(spec);

        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("spec.machineTemplate.spec.infrastructureRef "), problems.get(0));
    }

    private static KilnControlPlaneSpec spec(KilnConfigSpec config) {
        MachineTemplateSpec machineSpec = new MachineTemplateSpec();
        machineSpec.setInfrastructureRef(new ContractVersionedRef(KilnCluster.GROUP, "KilnMachineTemplate",
                "cp-template"));
        MachineTemplate template = new MachineTemplate();
        template.setSpec(machineSpec);
        KilnControlPlaneSpec spec = new KilnControlPlaneSpec();
        spec.setReplicas(3);
        spec.setVersion("v1.31.0");
        spec.setMachineTemplate(template);
        spec.setControlPlaneConfig(config);
        return spec;
    }

    private static KilnControlPlaneSpec drainingIn(int seconds, String deprecatedDuration) {
        KilnControlPlaneSpec spec = spec(null);
        MachineDeletion deletion = new MachineDeletion();
        deletion.setNodeDrainTimeoutSeconds(seconds);
        spec.getMachineTemplate().getSpec().setDeletion(deletion);
        spec.getMachineTemplate().setNodeDrainTimeout(deprecatedDuration);
        return spec;
    }

    private static ObjectRef deprecatedRef(String name) {
        return new ObjectRef(KilnCluster.GROUP + "/" + KilnCluster.VERSION, "KilnMachineTemplate", name, null);
    }
}
