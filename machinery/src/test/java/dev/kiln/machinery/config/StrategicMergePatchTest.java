package dev.kiln.machinery.config;

import static dev.kiln.machinery.config.TestConfigs.rendered;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StrategicMergePatchTest {

    @Test
    void mergesMapsRecursively() throws Exception {
        assertMerged("machine: {type: worker, install: {disk: /dev/sda}}",
                "machine: {install: {wipe: true}}",
                "machine: {type: worker, install: {disk: /dev/sda, wipe: true}}");
    }

    @Test
    void replacesScalars() throws Exception {
        assertMerged("cluster: {clusterName: old, id: x}", "cluster: {clusterName: new}",
                "cluster: {clusterName: new, id: x}");
    }

    @Test
    void replacesListsWholesale() throws Exception {
        assertMerged("machine: {certSANs: [a, b]}", "machine: {certSANs: [c]}", "machine: {certSANs: [c]}");
    }

    @Test
    void replacesScalarWithMapping() throws Exception {
        assertMerged("machine: {install: none}", "machine: {install: {disk: /dev/sda}}",
                "machine: {install: {disk: /dev/sda}}");
    }

    @Test
    void addsNewSections() throws Exception {
        assertMerged("version: v1alpha1", "machine: {network: {hostname: n1}}",
                "{version: v1alpha1, machine: {network: {hostname: n1}}}");
    }

    @Test
    void deletesKeyMarkedWithPatchDelete() throws Exception {
        assertMerged("machine: {type: worker, install: {disk: /dev/sda}}", "machine: {install: {$patch: delete}}",
                "machine: {type: worker}");
    }

    @Test
    void ignoresDeleteOfAbsentKey() throws Exception {
        assertMerged("machine: {type: worker}", "machine: {install: {$patch: delete}}", "machine: {type: worker}");
    }

    @Test
    void dropsDeleteDirectivesInsideNewMapping() throws Exception {
        assertMerged("version: v1alpha1", "machine: {install: {disk: /dev/sda, image: {$patch: delete}}}",
                "{version: v1alpha1, machine: {install: {disk: /dev/sda}}}");
    }

    @Test
    void keepsPatchDirectiveInsideListsAsData() throws Exception {
        assertMerged("a: 1", "b: [{$patch: delete}]", "{a: 1, b: [{$patch: delete}]}");
    }

    @Test
    void rejectsUnsupportedDirective() {
        ConfigPatchException e = assertThrows(ConfigPatchException.class,
                () -> StrategicMergePatch.parse("machine: {install: {$patch: replace}}"));
        assertEquals(List.of("machine.install.$patch: only 'delete' is supported"), rendered(e.problems()));
    }

    @Test
    void rejectsDeleteDirectiveWithSiblingKeys() {
        ConfigPatchException e = assertThrows(ConfigPatchException.class,
                () -> StrategicMergePatch.parse("machine: {install: {$patch: delete, disk: /dev/sda}}"));
        assertEquals(List.of("machine.install: a mapping with $patch: delete must have no other keys"),
                rendered(e.problems()));
    }

    @Test
    void rejectsDirectiveAtDocumentRoot() {
        ConfigPatchException e = assertThrows(ConfigPatchException.class,
                () -> StrategicMergePatch.parse("$patch: delete"));
        assertEquals(List.of("$patch: not allowed at the document root"), rendered(e.problems()));
    }

    @Test
    void rejectsPatchThatIsNotAMapping() {
        ConfigPatchException e = assertThrows(ConfigPatchException.class, () -> StrategicMergePatch.parse("[a]"));
        assertEquals(List.of("(root): must be a mapping"), rendered(e.problems()));
    }

    @Test
    void reportsYamlSyntaxErrorInPatch() {
        ConfigPatchException e = assertThrows(ConfigPatchException.class, () -> StrategicMergePatch.parse("a: [b"));
        assertEquals("(yaml)", e.problems().get(0).path());
    }

    @Test
    void leavesInputUntouched() throws Exception {
        Map<?, ?> input = map("machine: {install: {disk: /dev/sda}, certSANs: [a]}");
        Object before = PlainTrees.deepCopy(input);
        StrategicMergePatch.parse("machine: {install: {$patch: delete}, certSANs: [b]}").apply(input);
        assertEquals(before, input);
    }

    @Test
    void acceptsAlreadyParsedMapping() throws Exception {
        assertEquals(Map.of("a", 1, "b", 2), StrategicMergePatch.of(Map.of("b", 2)).apply(Map.of("a", 1)));
    }

    private static Map<?, ?> map(String yaml) {
        YamlTrees.Loaded loaded = YamlTrees.load(yaml);
        assertTrue(loaded.ok(), () -> loaded.problems().toString());
        return (Map<?, ?>) loaded.tree();
    }

    private static void assertMerged(String base, String patch, String expected) throws Exception {
        assertEquals(map(expected), StrategicMergePatch.parse(patch).apply(map(base)));
    }
}
