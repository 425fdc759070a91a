package dev.kiln.capi.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.capi.api.bootstrap.v1alpha1.KilnConfigSpec;
import dev.kiln.capi.api.common.ContractVersionedRef;
import dev.kiln.capi.api.common.ObjectRef;
import dev.kiln.capi.api.controlplane.v1alpha1.KilnControlPlaneSpec;
import dev.kiln.capi.api.controlplane.v1alpha1.MachineTemplate;
import dev.kiln.capi.api.controlplane.v1alpha1.MachineTemplateSpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class ConfigHashTest {

    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    @Test
    void isStableForEqualSpecs() {
        assertEquals(hash(spec -> { }), hash(spec -> { }));
    }

    @Test
    void changesWithVersionConfigAndTemplateRef() {
        String base = hash(spec -> { });
        assertNotEquals(base, hash(spec -> spec.setVersion("v1.32.0")));
        assertNotEquals(base, hash(spec -> spec.getControlPlaneConfig().setStrategicPatches(List.of("machine: {}"))));
        assertNotEquals(base, hash(spec -> spec.getMachineTemplate().getInfrastructureRef().setName("other")));
    }

    @Test
    void movingTheTemplateRefToTheV1beta2FieldKeepsTheHash() {
        String deprecated = hash(spec -> { });

        String current = hash(spec -> {
            MachineTemplateSpec machineSpec = new MachineTemplateSpec();
            machineSpec.setInfrastructureRef(new ContractVersionedRef("infrastructure.cluster.x-k8s.io",
                    "KilnMachineTemplate", "cp-template"));
            spec.getMachineTemplate().setSpec(machineSpec);
            spec.getMachineTemplate().setInfrastructureRef(null);
        });

        assertEquals(deprecated, current);
    }

    @Test
    void machinesStampedByAnEarlierKilnFromARefNamingTheOwnNamespaceStayCurrent() throws Exception {
        KilnControlPlaneSpec earlier = spec(spec -> spec.getMachineTemplate().getInfrastructureRef().setNamespace("demo"));
        KilnControlPlaneSpec migrated = spec(spec -> {
            MachineTemplateSpec machineSpec = new MachineTemplateSpec();
            machineSpec.setInfrastructureRef(new ContractVersionedRef("infrastructure.cluster.x-k8s.io",
                    "KilnMachineTemplate", "cp-template"));
            spec.getMachineTemplate().setSpec(machineSpec);
            spec.getMachineTemplate().setInfrastructureRef(null);
        });

        String stamped = stampedByEarlierKiln(earlier);

        assertTrue(ConfigHash.current(earlier, "demo", JSON).contains(stamped));
        assertTrue(ConfigHash.current(migrated, "demo", JSON).contains(stamped));
    }

    @Test
    void ignoresDeletionTimeouts() {
        assertEquals(hash(spec -> { }), hash(spec -> spec.getMachineTemplate().setNodeDrainTimeout("5m")));
    }

    @Test
    void ignoresReplicasAndRolloutStrategy() {
        assertEquals(hash(spec -> { }), hash(spec -> spec.setReplicas(5)));
    }

    @Test
    void comparesVersionsNumerically() {
        assertTrue(ControlPlaneStatusCalculator.compareVersions("v1.9.0", "v1.10.0") < 0);
        assertEquals(0, ControlPlaneStatusCalculator.compareVersions("v1.31.2", "v1.31.2"));
    }

    @Test
    void inPlaceAMachineMadeWithAnEarlierVersionStaysCurrent() {
        dev.kiln.capi.core.v1beta1.Machine machine = stamped("v1.31.0", hash(spec -> { }));

        assertTrue(ConfigHash.matchesIgnoringVersion(machine, spec(spec -> spec.setVersion("v1.32.0")), "demo",
                JSON));
    }

    @Test
    void inPlaceAConfigChangeStillOutdatesAMachine() {
        dev.kiln.capi.core.v1beta1.Machine machine = stamped("v1.31.0", hash(spec -> { }));

        assertFalse(ConfigHash.matchesIgnoringVersion(machine, spec(spec -> spec.getControlPlaneConfig()
                .setStrategicPatches(List.of("machine: {}"))), "demo", JSON));
    }

    private static dev.kiln.capi.core.v1beta1.Machine stamped(String version, String hash) {
        dev.kiln.capi.core.v1beta1.Machine machine = new dev.kiln.capi.core.v1beta1.Machine();
        machine.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("cp-1")
                .withAnnotations(Map.of(ConfigHash.ANNOTATION, hash)).build());
        machine.setSpec(new dev.kiln.capi.core.v1beta1.MachineSpec());
        machine.getSpec().setVersion(version);
        return machine;
    }

    /** The hash as Kiln computed it before the v1beta2 reference: the deprecated ObjectRef as written. */
    private static String stampedByEarlierKiln(KilnControlPlaneSpec spec) throws Exception {
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put("version", spec.getVersion());
        inputs.put("controlPlaneConfig", spec.getControlPlaneConfig());
        inputs.put("infrastructureRef", spec.getMachineTemplate().getInfrastructureRef());
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(JSON.asJson(inputs).getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest).substring(0, 16);
    }

    private static String hash(Consumer<KilnControlPlaneSpec> change) {
        return ConfigHash.of(spec(change), JSON);
    }

    private static KilnControlPlaneSpec spec(Consumer<KilnControlPlaneSpec> change) {
        KilnControlPlaneSpec spec = new KilnControlPlaneSpec();
        spec.setReplicas(3);
        spec.setVersion("v1.31.0");
        MachineTemplate template = new MachineTemplate();
        template.setInfrastructureRef(new ObjectRef("infrastructure.cluster.x-k8s.io/v1alpha1", "KilnMachineTemplate",
                "cp-template", null));
        spec.setMachineTemplate(template);
        spec.setControlPlaneConfig(new KilnConfigSpec());
        change.accept(spec);
        return spec;
    }
}
