package dev.kiln.node.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigChangeTest {

    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    @Test
    void equalDocumentsMakeNoChange() {
        Map<String, Object> doc = map("machine", map("type", "worker"), "debug", false);

        ConfigChange change = ConfigChange.between(doc, map("machine", map("type", "worker"), "debug", false));

        assertTrue(change.isEmpty());
        assertEquals(List.of(), change.changedPaths());
    }

    @Test
    void aChangedLeafIsNamedByItsDottedPath() {
        ConfigChange change = ConfigChange.between(
                map("machine", map("network", map("hostname", "a"))),
                map("machine", map("network", map("hostname", "b"))));

        assertEquals(List.of("machine.network.hostname"), change.changedPaths());
    }

    @Test
    void addedAndRemovedKeysAreBothChanges() {
        ConfigChange change = ConfigChange.between(
                map("cluster", map("etcd", map("extraArgs", map("old-flag", "1")))),
                map("cluster", map("etcd", map("extraArgs", map("new-flag", "2")))));

        assertEquals(List.of("cluster.etcd.extraArgs.new-flag", "cluster.etcd.extraArgs.old-flag"),
                change.changedPaths());
    }

    @Test
    void aNewSectionIsOneChangeAtTheSectionPath() {
        ConfigChange change = ConfigChange.between(map("machine", map("type", "worker")),
                map("machine", map("type", "worker", "install", map("disk", "/dev/sda"))));

        assertEquals(List.of("machine.install"), change.changedPaths());
    }

    @Test
    void aChangedListIsOneChangeAtTheListPath() {
        ConfigChange change = ConfigChange.between(
                map("cluster", map("etcd", map("peers", List.of("https://a:2379")))),
                map("cluster", map("etcd", map("peers", List.of("https://a:2379", "https://b:2379")))));

        assertEquals(List.of("cluster.etcd.peers"), change.changedPaths());
    }

    @Test
    void pathsComeInSortedKeyOrder() {
        ConfigChange change = ConfigChange.between(map("persist", true, "debug", false, "machine", map("type", "a")),
                map("persist", false, "debug", true, "machine", map("type", "b")));

        assertEquals(List.of("debug", "machine.type", "persist"), change.changedPaths());
    }

    @Test
    void aDifferentRootIsNamedRoot() {
        assertEquals(List.of("(root)"), ConfigChange.between(map("a", 1), null).changedPaths());
    }

    @ParameterizedTest
    @ValueSource(strings = {"debug", "persist", "machine.install", "machine.install.disk", "cluster.controlPlane",
            "cluster.controlPlane.endpoint", "cluster.etcd.peers", "cluster.etcd.extraArgs",
            "cluster.etcd.extraArgs.election-timeout"})
    void theseChangesApplyWithoutReboot(String path) {
        ConfigChange change = new ConfigChange(List.of(path));

        assertTrue(change.appliesWithoutReboot(), path);
        assertEquals(List.of(), change.pathsNeedingReboot());
    }

    @ParameterizedTest
    @ValueSource(strings = {"version", "machine.type", "machine.token", "machine.ca.crt", "machine.ca.key",
            "machine.certSANs", "machine.network.hostname", "machine.network", "cluster.id", "cluster.clusterName",
            "cluster.ca.crt", "cluster.etcd.ca.crt", "cluster.etcd", "(root)", "(all)", "debugger",
            "cluster.etcd.peersExtra", "machine.installer"})
    void theseChangesNeedAReboot(String path) {
        ConfigChange change = new ConfigChange(List.of(path));

        assertFalse(change.appliesWithoutReboot(), path);
        assertEquals(List.of(path), change.pathsNeedingReboot());
    }

    @Test
    void oneRebootNeedingPathMakesTheWholeChangeNeedAReboot() {
        ConfigChange change = new ConfigChange(List.of("cluster.etcd.peers", "machine.certSANs", "debug"));

        assertFalse(change.appliesWithoutReboot());
        assertEquals(List.of("machine.certSANs"), change.pathsNeedingReboot());
    }

    @Test
    void touchesMatchesWholePathSegmentsOnly() {
        ConfigChange change = new ConfigChange(List.of("cluster.etcd.extraArgs.election-timeout", "machine.certSANs[0]"));

        assertTrue(change.touches("cluster.etcd.extraArgs"));
        assertTrue(change.touches("cluster.etcd"));
        assertTrue(change.touches("machine.certSANs"));
        assertFalse(change.touches("cluster.etcd.extra"));
        assertFalse(change.touches("cluster.etcd.peers"));
    }

    @Test
    void aChangeOnlyInWhatKilnDoesNotUseAppliesWithoutReboot() {
        assertTrue(new ConfigChange(java.util.List.of(ConfigChange.NOT_USED_BY_KILN)).appliesWithoutReboot());
    }
}
