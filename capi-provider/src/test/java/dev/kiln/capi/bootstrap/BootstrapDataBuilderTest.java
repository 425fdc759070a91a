package dev.kiln.capi.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.capi.api.bootstrap.v1alpha1.ConfigPatch;
import dev.kiln.capi.api.bootstrap.v1alpha1.Hostname;
import dev.kiln.capi.api.bootstrap.v1alpha1.KilnConfigSpec;
import dev.kiln.capi.api.bootstrap.v1alpha1.PatchOp;
import dev.kiln.machinery.config.ConfigGenerator;
import dev.kiln.machinery.config.ConfigParser;
import dev.kiln.machinery.config.ConfigWriter;
import dev.kiln.machinery.config.MachineConfig;
import dev.kiln.machinery.config.MachineType;
import dev.kiln.machinery.config.ParseResult;
import dev.kiln.machinery.pki.SecretsBundle;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BootstrapDataBuilderTest {

    private static final SecretsBundle BUNDLE = SecretsBundle.generate();
    private static final BootstrapDataBuilder.Target TARGET =
            new BootstrapDataBuilder.Target("demo", "https://10.0.0.10:6443", "demo-cp-abc12", "demo-cp-infra-7");

    private static KilnConfigSpec spec(String generateType) {
        KilnConfigSpec spec = new KilnConfigSpec();
        spec.setGenerateType(generateType);
        return spec;
    }

    private static ConfigPatch patch(PatchOp op, String path, Object value) {
        return new ConfigPatch(op, path, value == null ? null : Serialization.jsonMapper().valueToTree(value));
    }

    private static MachineConfig parsed(BootstrapDataBuilder.Outcome outcome) {
        BootstrapDataBuilder.Outcome.Built built = assertInstanceOf(BootstrapDataBuilder.Outcome.Built.class, outcome,
                () -> "expected a config, got " + outcome);
        ParseResult result = new ConfigParser().parse(built.configYaml());
        return assertInstanceOf(ParseResult.Parsed.class, result, () -> "does not parse: " + result).config();
    }

    private static List<String> problems(BootstrapDataBuilder.Outcome outcome) {
        return assertInstanceOf(BootstrapDataBuilder.Outcome.Invalid.class, outcome,
                () -> "expected problems, got a config").problems();
    }

    @Test
    void controlPlaneConfigHasTheMachineNameAsHostnameAndAnEtcdSection() {
        var outcome = BootstrapDataBuilder.build(spec("controlplane"), TARGET, BUNDLE);

        MachineConfig config = parsed(outcome);
        assertTrue(((BootstrapDataBuilder.Outcome.Built) outcome).controlPlane());
        assertEquals("demo-cp-abc12", config.machine().network().hostname());
        assertEquals("https://10.0.0.10:6443", config.cluster().controlPlane().endpoint());
        assertEquals("demo", config.cluster().clusterName());
        assertNotNull(config.cluster().etcd().ca().key());
        assertEquals("/dev/sda", config.machine().install().disk());
    }

    @Test
    void workerConfigCarriesNoEtcdCaKey() {
        var outcome = BootstrapDataBuilder.build(spec("worker"), TARGET, BUNDLE);

        MachineConfig config = parsed(outcome);
        assertFalse(((BootstrapDataBuilder.Outcome.Built) outcome).controlPlane());
        assertNull(config.cluster().etcd());
        assertNull(config.cluster().ca().key());
    }

    @Test
    void sameBundleAndSpecGiveByteIdenticalConfigs() {
        KilnConfigSpec spec = spec("controlplane");
        spec.setStrategicPatches(List.of("machine:\n  install:\n    wipe: true\n"));

        var first = (BootstrapDataBuilder.Outcome.Built) BootstrapDataBuilder.build(spec, TARGET, BUNDLE);
        var second = (BootstrapDataBuilder.Outcome.Built) BootstrapDataBuilder.build(spec, TARGET, BUNDLE);

        assertEquals(first.configYaml(), second.configYaml());
    }

    @Test
    void noneTakesSpecDataAsItIs() {
        String data = "# written by hand\n" + new ConfigWriter().write(ConfigGenerator.generate(BUNDLE, MachineType.WORKER,
                ConfigGenerator.Options.of("demo", "https://10.0.0.10:6443").withHostname("by-hand")));
        KilnConfigSpec spec = spec("none");
        spec.setData(data);

        var outcome = BootstrapDataBuilder.build(spec, TARGET, BUNDLE);

        assertEquals(data, ((BootstrapDataBuilder.Outcome.Built) outcome).configYaml());
        assertEquals("by-hand", parsed(outcome).machine().network().hostname());
    }

    @Test
    void noneWithInvalidDataNamesSpecData() {
        KilnConfigSpec spec = spec("none");
        spec.setData("version: v1alpha1\nmachine:\n  type: gpu\n");

        List<String> problems = problems(BootstrapDataBuilder.build(spec, TARGET, BUNDLE));

        assertTrue(problems.stream().allMatch(p -> p.startsWith("spec.data: ")), problems::toString);
        assertTrue(problems.contains("spec.data: machine.type: must be controlplane or worker"), problems::toString);
    }

    @Test
    void noneWithoutDataIsRefused() {
        assertEquals(List.of("spec.data: is required when spec.generateType is none"),
                BootstrapDataBuilder.specProblems(spec("none")));
    }

    @Test
    void dataWithAGeneratedTypeIsRefused() {
        KilnConfigSpec spec = spec("worker");
        spec.setData("version: v1alpha1\n");

        assertEquals(List.of("spec.data: must be empty unless spec.generateType is none"),
                BootstrapDataBuilder.specProblems(spec));
    }

    @Test
    void jsonPatchIsApplied() {
        KilnConfigSpec spec = spec("worker");
        spec.setConfigPatches(List.of(
                patch(PatchOp.REPLACE, "/machine/install/disk", "/dev/vda"),
                patch(PatchOp.ADD, "/machine/certSANs", List.of("10.0.0.99"))));

        MachineConfig config = parsed(BootstrapDataBuilder.build(spec, TARGET, BUNDLE));

        assertEquals("/dev/vda", config.machine().install().disk());
        assertEquals(List.of("10.0.0.99"), config.machine().certSANs());
    }

    @Test
    void strategicPatchIsAppliedAfterJsonPatches() {
        KilnConfigSpec spec = spec("worker");
        spec.setConfigPatches(List.of(patch(PatchOp.REPLACE, "/machine/install/disk", "/dev/vda")));
        spec.setStrategicPatches(List.of("machine:\n  install:\n    disk: /dev/nvme0n1\n    wipe: true\n"));

        MachineConfig config = parsed(BootstrapDataBuilder.build(spec, TARGET, BUNDLE));

        assertEquals("/dev/nvme0n1", config.machine().install().disk());
        assertTrue(config.machine().install().wipe());
    }

    @Test
    void patchOnAMissingPathNamesItsIndexAndPath() {
        KilnConfigSpec spec = spec("worker");
        spec.setConfigPatches(List.of(
                patch(PatchOp.REPLACE, "/machine/install/disk", "/dev/vda"),
                patch(PatchOp.REPLACE, "/machine/foo", "bar")));

        assertEquals(List.of("spec.configPatches[1] (replace /machine/foo): path does not exist"),
                problems(BootstrapDataBuilder.build(spec, TARGET, BUNDLE)));
    }

    @Test
    void unknownPatchOpNamesItsField() {
        ConfigPatch frob = patch(PatchOp.ADD, "/machine/x", "y");
        frob.setOp("frob");
        KilnConfigSpec spec = spec("worker");
        spec.setConfigPatches(List.of(frob));

        assertEquals(List.of("spec.configPatches[0].op: must be one of add, remove, replace, move, copy, test"),
                BootstrapDataBuilder.specProblems(spec));
    }

    @Test
    void unreadableStrategicPatchNamesItsIndex() {
        KilnConfigSpec spec = spec("worker");
        spec.setStrategicPatches(List.of("machine: {}\n", "- not\n- a mapping\n"));

        assertEquals(List.of("spec.strategicPatches[1] (root): must be a mapping"),
                BootstrapDataBuilder.specProblems(spec));
    }

    @Test
    void patchThatBreaksTheConfigNamesThePatchFieldsAndTheConfigPath() {
        KilnConfigSpec spec = spec("worker");
        spec.setStrategicPatches(List.of("machine:\n  type:\n    $patch: delete\n"));

        assertEquals(List.of("config after spec.strategicPatches: machine.type: is required"),
                problems(BootstrapDataBuilder.build(spec, TARGET, BUNDLE)));
    }

    @Test
    void copyOfTheMachineCaKeyIntoCertSansIsRefusedBeforeAnythingIsApplied() {
        KilnConfigSpec spec = spec("worker");
        ConfigPatch copy = patch(PatchOp.COPY, "/machine/certSANs/-", null);
        copy.setFrom("/machine/ca/key");
        spec.setConfigPatches(List.of(patch(PatchOp.ADD, "/machine/certSANs", List.of()),
                patch(PatchOp.REPLACE, "/machine/install/disk", "/dev/vda"), copy));

        assertEquals(List.of("spec.configPatches[2].from: /machine/ca/key may not be copied or moved"),
                problems(BootstrapDataBuilder.build(spec, TARGET, BUNDLE)));
    }

    @Test
    void patchReplacingASecretNamesItsIndexAndPath() {
        KilnConfigSpec spec = spec("controlplane");
        spec.setConfigPatches(List.of(patch(PatchOp.REPLACE, "/machine/install/disk", "/dev/vda"),
                patch(PatchOp.REPLACE, "/cluster/secret", "b3duZWQ="),
                patch(PatchOp.ADD, "/cluster/etcd/extraArgs/client-cert-auth", "false")));

        assertEquals(List.of("spec.configPatches[1].path: /cluster/secret may not be patched",
                "spec.configPatches[2].path: /cluster/etcd/extraArgs/client-cert-auth may not be patched"),
                BootstrapDataBuilder.specProblems(spec));
    }

    @Test
    void strategicPatchOfTheMachineCaIsRefused() {
        KilnConfigSpec spec = spec("worker");
        spec.setStrategicPatches(List.of("machine:\n  certSANs: [w.example.com]\n",
                "machine:\n  ca:\n    key: aGk=\n"));

        assertEquals(List.of("spec.strategicPatches[1]: machine.ca may not be patched"),
                BootstrapDataBuilder.specProblems(spec));
    }

    @Test
    void patchAddingAnInvalidCertSanIsRefusedByValidation() {
        KilnConfigSpec spec = spec("worker");
        spec.setConfigPatches(List.of(patch(PatchOp.ADD, "/machine/certSANs", List.of("1.2.3.4.5"))));

        List<String> problems = problems(BootstrapDataBuilder.build(spec, TARGET, BUNDLE));
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("config after spec.configPatches: machine.certSANs[0]: must be an IP"),
                problems.toString());
    }

    @Test
    void dataOverOneMebibyteIsRefusedBeforeParsing() {
        KilnConfigSpec spec = spec("none");
        spec.setData("a: " + "x".repeat(2 * 1024 * 1024) + "\n");

        assertEquals(List.of("spec.data: (yaml): document is larger than 1048576 bytes (1 MiB), the limit for a config"),
                problems(BootstrapDataBuilder.build(spec, TARGET, BUNDLE)));
    }

    @Test
    void dataWithARecursiveAliasIsRefusedWithItsPath() {
        KilnConfigSpec spec = spec("none");
        spec.setData("a: &a {b: *a}\n");

        assertEquals(List.of("spec.data: a.b: recursive alias: the value contains itself"),
                problems(BootstrapDataBuilder.build(spec, TARGET, BUNDLE)));
    }

    @Test
    void unknownGenerateTypeNamesSpecGenerateType() {
        assertEquals(List.of("spec.generateType: must be controlplane, worker or none"),
                problems(BootstrapDataBuilder.build(spec("gpu"), TARGET, BUNDLE)));
    }

    @Test
    void everySpecProblemIsReportedAtOnce() {
        KilnConfigSpec spec = spec("gpu");
        Hostname hostname = new Hostname();
        hostname.setSource("Elsewhere");
        spec.setHostname(hostname);
        ConfigPatch noPath = patch(PatchOp.ADD, null, "x");
        spec.setConfigPatches(new ArrayList<>(List.of(noPath)));

        assertEquals(List.of(BootstrapDataBuilder.GENERATE_TYPE_MESSAGE, BootstrapDataBuilder.HOSTNAME_SOURCE_MESSAGE,
                "spec.configPatches[0].path: is required"), BootstrapDataBuilder.specProblems(spec));
    }

    @Test
    void infrastructureNameSourceUsesTheInfrastructureRefName() {
        KilnConfigSpec spec = spec("worker");
        Hostname hostname = new Hostname();
        hostname.setSource("InfrastructureName");
        spec.setHostname(hostname);

        assertEquals("demo-cp-infra-7", parsed(BootstrapDataBuilder.build(spec, TARGET, BUNDLE)).machine().network().hostname());
    }

    @Test
    void emptyHostnameSourceLeavesTheHostnameOut() {
        KilnConfigSpec spec = spec("worker");
        Hostname hostname = new Hostname();
        hostname.setSource("");
        spec.setHostname(hostname);

        assertNull(parsed(BootstrapDataBuilder.build(spec, TARGET, BUNDLE)).machine().network());
    }
}
