package dev.kiln.capi.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.capi.api.bootstrap.v1alpha1.ConfigPatch;
import dev.kiln.capi.api.bootstrap.v1alpha1.GenerateType;
import dev.kiln.capi.api.bootstrap.v1alpha1.HostnameSource;
import dev.kiln.capi.api.bootstrap.v1alpha1.KilnConfig;
import dev.kiln.capi.api.bootstrap.v1alpha1.KilnConfigSpec;
import dev.kiln.capi.api.bootstrap.v1alpha1.KilnConfigTemplate;
import dev.kiln.capi.api.bootstrap.v1alpha1.PatchOp;
import dev.kiln.capi.api.controlplane.v1alpha1.KilnControlPlane;
import dev.kiln.capi.api.controlplane.v1alpha1.RolloutStrategyType;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachine;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachineSpec;
import dev.kiln.capi.api.infrastructure.v1alpha1.MachineAddressType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Java names differ from the contract's spellings in a few places; these pin the spellings on the wire. */
class WireNamesTest {
    @Test
    void generateTypeIsWrittenInLowerCase() {
        KilnConfig config = new KilnConfig();
        config.setSpec(new KilnConfigSpec());
        config.getSpec().setGenerateType(GenerateType.CONTROLPLANE.wireName());

        assertEquals("controlplane", Samples.tree(Serialization.asJson(config)).at("/spec/generateType").asText());
    }

    @Test
    void unknownGenerateTypeStillReads() {
        KilnConfig config = Serialization.unmarshal(
                "{\"apiVersion\":\"bootstrap.cluster.x-k8s.io/v1alpha1\",\"kind\":\"KilnConfig\","
                        + "\"spec\":{\"generateType\":\"gpu\",\"configPatches\":[{\"op\":\"frob\",\"path\":\"/x\"}],"
                        + "\"hostname\":{\"source\":\"Elsewhere\"}}}", KilnConfig.class);

        assertEquals("gpu", config.getSpec().getGenerateType());
        assertEquals("frob", config.getSpec().getConfigPatches().get(0).getOp());
        assertEquals("Elsewhere", config.getSpec().getHostname().getSource());
    }

    @Test
    void emptyHostnameSourceReadsAsNone() {
        KilnConfigTemplate template = Serialization.unmarshal(Samples.text(KilnConfigTemplate.class), KilnConfigTemplate.class);

        String source = template.getSpec().getTemplate().getSpec().getHostname().getSource();
        assertEquals(HostnameSource.NONE, HostnameSource.fromValue(source).orElseThrow());
    }

    @Test
    void providerIdKeepsTheContractSpelling() {
        KilnMachine machine = new KilnMachine();
        machine.setSpec(new KilnMachineSpec());
        machine.getSpec().setProviderId("kiln://demo/node");

        JsonNode spec = Samples.tree(Serialization.asJson(machine)).get("spec");

        assertEquals("kiln://demo/node", spec.path("providerID").asText());
        assertEquals(1, spec.size());
    }

    @Test
    void configPatchValueKeepsArbitraryJson() {
        KilnConfig config = Serialization.unmarshal(Samples.text(KilnConfig.class), KilnConfig.class);

        ConfigPatch patch = config.getSpec().getConfigPatches().get(1);

        assertEquals(PatchOp.REPLACE.wireName(), patch.getOp());
        assertTrue(patch.getValue().at("/interfaces/0/dhcp").asBoolean());
    }

    @Test
    void rolloutStrategyTypeUsesContractNames() {
        KilnControlPlane cp = Serialization.unmarshal(Samples.text(KilnControlPlane.class), KilnControlPlane.class);

        assertEquals(RolloutStrategyType.ROLLING_UPDATE, cp.getSpec().getRolloutStrategy().getType());
    }

    @Test
    void theV1beta1MachineTemplateShapeStillReads() {
        KilnControlPlane cp = Serialization.unmarshal("{\"apiVersion\":\"controlplane.cluster.x-k8s.io/v1alpha1\","
                + "\"kind\":\"KilnControlPlane\",\"spec\":{\"machineTemplate\":{\"infrastructureRef\":{"
                + "\"apiVersion\":\"infrastructure.cluster.x-k8s.io/v1alpha1\",\"kind\":\"KilnMachineTemplate\","
                + "\"name\":\"cp\"},\"nodeDrainTimeout\":\"5m\"}}}", KilnControlPlane.class);

        assertEquals("cp", cp.getSpec().getMachineTemplate().getInfrastructureRef().getName());
        assertEquals("5m", cp.getSpec().getMachineTemplate().getNodeDrainTimeout());
    }

    @Test
    void theV1beta2MachineTemplateRefIsWrittenByApiGroup() {
        KilnControlPlane cp = Serialization.unmarshal(Samples.text(KilnControlPlane.class), KilnControlPlane.class);

        JsonNode ref = Samples.tree(Serialization.asJson(cp)).at("/spec/machineTemplate/spec/infrastructureRef");

        List<String> fields = new java.util.ArrayList<>();
        ref.fieldNames().forEachRemaining(fields::add);
        assertEquals(List.of("apiGroup", "kind", "name"), fields);
    }

    @Test
    void machineAddressTypeUsesContractNames() {
        KilnMachine machine = Serialization.unmarshal(Samples.text(KilnMachine.class), KilnMachine.class);

        assertEquals(MachineAddressType.INTERNAL_IP, machine.getStatus().getAddresses().get(0).getType());
    }
}
