package dev.kiln.machinery.config;

import static dev.kiln.machinery.config.TestConfigs.rendered;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigValidatorTest {

    private final ConfigValidator validator = new ConfigValidator();

    @Test
    void acceptsValidConfigBuiltInCode() {
        assertEquals(List.of(), validator.validate(TestConfigs.controlPlane()));
        assertEquals(List.of(), validator.validate(TestConfigs.worker()));
    }

    @Test
    void reportsMissingRequiredFieldsOfConfigBuiltInCode() {
        MachineConfig config = new MachineConfig(null, false, true,
                new MachineSection(null, null, null, null, null, null), null);
        assertEquals(List.of("version: is required", "machine.type: is required", "machine.token: is required",
                "cluster: is required"), rendered(validator.validate(config)));
    }

    @Test
    void reportsSameProblemAsParserForSameBadValue() {
        MachineConfig worker = TestConfigs.worker();
        MachineConfig badPeer = new MachineConfig(worker.version(), worker.debug(), worker.persist(), worker.machine(),
                new ClusterSection(TestConfigs.CLUSTER_ID, TestConfigs.CLUSTER_SECRET, "demo",
                        new ControlPlaneSection("https://10.0.0.1:6443"), null, null, null, null,
                        new EtcdSection(TestPem.pair(), null, List.of("https://10.0.0.2:2379", "10.0.0.3:2379"))));
        List<ConfigProblem> fromCode = validator.validate(badPeer);
        List<ConfigProblem> fromYaml = TestConfigs.parseProblems(new ConfigWriter().write(badPeer));
        assertEquals(List.of("cluster.etcd.peers[1]: must be an https URL"), rendered(fromCode));
        assertEquals(fromCode, fromYaml);
    }

    @Test
    void reportsMalformedCaBuiltInCode() {
        MachineConfig worker = TestConfigs.worker();
        MachineConfig config = new MachineConfig(worker.version(), false, true,
                new MachineSection(MachineType.WORKER, TestConfigs.MACHINE_TOKEN, new PemPair("bm90IHBlbQ==", null),
                        List.of(), null, null),
                worker.cluster());
        assertEquals(List.of("machine.ca.crt: not a valid base64 PEM certificate"),
                rendered(validator.validate(config)));
    }

    @Test
    void parserExposesTheSameValidation() {
        assertEquals(validator.validate(TestConfigs.worker()), new ConfigParser().validate(TestConfigs.worker()));
    }
}
