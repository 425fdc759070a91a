package dev.kiln.capi.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.capi.api.bootstrap.v1alpha1.ConfigPatch;
import dev.kiln.capi.api.bootstrap.v1alpha1.KilnConfigSpec;
import dev.kiln.capi.api.bootstrap.v1alpha1.PatchOp;
import dev.kiln.capi.api.common.ObjectRef;
import dev.kiln.capi.api.controlplane.v1alpha1.KilnControlPlaneSpec;
import dev.kiln.capi.api.controlplane.v1alpha1.MachineTemplate;
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
        spec.getMachineTemplate().setInfrastructureRef(null);

        assertEquals(List.of("spec.machineTemplate.infrastructureRef is not set; it must name a KilnMachineTemplate"),
                ControlPlaneSpecCheck.problems(spec));
    }

    @Test
    void aMissingMachineTemplateIsNamedByItsInfrastructureRef() {
        KilnControlPlaneSpec spec = spec(null);
        spec.setMachineTemplate(null);

        List<String> problems = ControlPlaneSpecCheck.problems(spec);

        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("spec.machineTemplate.infrastructureRef "), problems.get(0));
    }

    private static KilnControlPlaneSpec spec(KilnConfigSpec config) {
        MachineTemplate template = new MachineTemplate();
        template.setInfrastructureRef(new ObjectRef(KilnCluster.GROUP + "/" + KilnCluster.VERSION,
                "KilnMachineTemplate", "cp-template", null));
        KilnControlPlaneSpec spec = new KilnControlPlaneSpec();
        spec.setReplicas(3);
        spec.setVersion("v1.31.0");
        spec.setMachineTemplate(template);
        spec.setControlPlaneConfig(config);
        return spec;
    }
}
