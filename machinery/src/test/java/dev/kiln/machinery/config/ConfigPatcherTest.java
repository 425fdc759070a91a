package dev.kiln.machinery.config;

import static dev.kiln.machinery.config.TestConfigs.rendered;
import static dev.kiln.machinery.config.TestConfigs.workerYaml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigPatcherTest {

    private final ConfigPatcher patcher = new ConfigPatcher();

    @Test
    void returnsTheBaseDocumentAsWrittenWhenThereAreNoPatches() throws Exception {
        assertEquals(workerYaml(), patcher.apply(workerYaml(), List.of(), List.of()));
    }

    @Test
    void returnsAKilnGeneratedBaseByteForByteWhenThereAreNoPatches() throws Exception {
        String generated = new ConfigWriter().write(TestConfigs.worker());
        assertEquals(generated, patcher.apply(generated, List.of(), List.of()));
    }

    @Test
    void appliesJsonPatch() throws Exception {
        String patched = patcher.apply(workerYaml(),
                List.of("[{op: add, path: /machine/certSANs, value: [cp.example.com]}]"), List.of());
        assertEquals(List.of("cp.example.com"), TestConfigs.parseValid(patched).machine().certSANs());
    }

    @Test
    void appliesStrategicPatch() throws Exception {
        String patched = patcher.apply(workerYaml(), List.of(), List.of("machine: {network: {hostname: w-1}}"));
        assertEquals(new NetworkSection("w-1"), TestConfigs.parseValid(patched).machine().network());
    }

    @Test
    void appliesJsonPatchesBeforeStrategicPatches() throws Exception {
        String patched = patcher.apply(workerYaml(),
                List.of("[{op: add, path: /machine/network, value: {hostname: from-json}}]"),
                List.of("machine: {network: {hostname: from-strategic}}"));
        assertEquals("from-strategic", TestConfigs.parseValid(patched).machine().network().hostname());
    }

    @Test
    void appliesPatchesOfOneKindInOrder() throws Exception {
        String patched = patcher.apply(workerYaml(), List.of(),
                List.of("machine: {network: {hostname: first}}", "machine: {network: {hostname: second}}"));
        assertEquals("second", TestConfigs.parseValid(patched).machine().network().hostname());
    }

    @Test
    void completesAnIncompleteBase() throws Exception {
        String base = workerYaml().replace("  clusterName: demo\n", "");
        String patched = patcher.apply(base, List.of(), List.of("cluster: {clusterName: demo}"));
        assertEquals(TestConfigs.worker(), TestConfigs.parseValid(patched));
    }

    @Test
    void reportsProblemsOfPatchedConfig() {
        ConfigPatchException e = assertThrows(ConfigPatchException.class, () -> patcher.apply(workerYaml(),
                List.of(), List.of("machine: {type: wroker, foo: 1}")));
        assertEquals(List.of("machine.type: must be controlplane or worker", "machine.foo: unknown key"),
                rendered(e.problems()));
    }

    @Test
    void namesFailingJsonPatchDocument() {
        ConfigPatchException e = assertThrows(ConfigPatchException.class, () -> patcher.apply(workerYaml(),
                List.of("[]", "[{op: remove, path: /machine/install}]"), List.of()));
        assertEquals(List.of("jsonPatches[1] patch[0] (remove /machine/install): path does not exist"),
                rendered(e.problems()));
    }

    @Test
    void reportsEveryUnreadablePatchDocument() {
        ConfigPatchException e = assertThrows(ConfigPatchException.class, () -> patcher.apply(workerYaml(),
                List.of("{op: add}"), List.of("[not, a, mapping]")));
        assertEquals(List.of("jsonPatches[0] (patch): must be a list of operations",
                "strategicPatches[0] (root): must be a mapping"), rendered(e.problems()));
    }

    @Test
    void reportsBaseYamlSyntaxError() {
        ConfigPatchException e = assertThrows(ConfigPatchException.class,
                () -> patcher.apply("machine: [", List.of(), List.of()));
        assertEquals("(yaml)", e.problems().get(0).path());
    }

    @Test
    void rejectsJsonPatchThatTurnsRootIntoNonMappingBeforeStrategicPatch() {
        ConfigPatchException e = assertThrows(ConfigPatchException.class, () -> patcher.apply(workerYaml(),
                List.of("[{op: replace, path: '', value: [1]}]"), List.of("a: 1")));
        assertEquals(List.of("(root): must be a mapping"), rendered(e.problems()));
    }
}
