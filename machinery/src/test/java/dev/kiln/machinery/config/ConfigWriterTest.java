package dev.kiln.machinery.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigWriterTest {

    private final ConfigWriter writer = new ConfigWriter();

    @Test
    void writesByteIdenticalOutputTwice() {
        assertEquals(writer.write(TestConfigs.controlPlane()), writer.write(TestConfigs.controlPlane()));
    }

    @Test
    void roundTripsFullConfig() {
        MachineConfig config = TestConfigs.controlPlane();
        assertEquals(config, TestConfigs.parseValid(writer.write(config)));
    }

    @Test
    void roundTripsMinimalConfig() {
        MachineConfig config = TestConfigs.worker();
        assertEquals(config, TestConfigs.parseValid(writer.write(config)));
    }

    @Test
    void writesMinimalWorkerExactly() {
        assertEquals("version: v1alpha1\n"
                + "debug: false\n"
                + "persist: true\n"
                + "machine:\n"
                + "  type: worker\n"
                + "  token: " + TestConfigs.MACHINE_TOKEN + "\n"
                + "cluster:\n"
                + "  id: " + TestConfigs.CLUSTER_ID + "\n"
                + "  secret: " + TestConfigs.CLUSTER_SECRET + "\n"
                + "  clusterName: demo\n"
                + "  controlPlane:\n"
                + "    endpoint: https://10.0.0.1:6443\n", writer.write(TestConfigs.worker()));
    }

    @Test
    void writesKeysInDocumentedOrder() {
        String yaml = writer.write(TestConfigs.controlPlane())
                .replace(TestPem.certBase64(), "<crt>").replace(TestPem.keyBase64(), "<key>");
        assertEquals("version: v1alpha1\n"
                + "debug: true\n"
                + "persist: false\n"
                + "machine:\n"
                + "  type: controlplane\n"
                + "  token: " + TestConfigs.MACHINE_TOKEN + "\n"
                + "  ca:\n"
                + "    crt: <crt>\n"
                + "    key: <key>\n"
                + "  certSANs:\n"
                + "    - 10.0.0.1\n"
                + "    - cp.example.com\n"
                + "  install:\n"
                + "    disk: /dev/sda\n"
                + "    image: ghcr.io/kiln/installer:v0.1.0\n"
                + "    wipe: true\n"
                + "  network:\n"
                + "    hostname: cp-1\n"
                + "cluster:\n"
                + "  id: " + TestConfigs.CLUSTER_ID + "\n"
                + "  secret: " + TestConfigs.CLUSTER_SECRET + "\n"
                + "  clusterName: demo\n"
                + "  controlPlane:\n"
                + "    endpoint: https://10.0.0.1:6443\n"
                + "  token: " + TestConfigs.BOOTSTRAP_TOKEN + "\n"
                + "  ca:\n"
                + "    crt: <crt>\n"
                + "    key: <key>\n"
                + "  aggregatorCA:\n"
                + "    crt: <crt>\n"
                + "    key: <key>\n"
                + "  serviceAccount:\n"
                + "    key: <key>\n"
                + "  etcd:\n"
                + "    ca:\n"
                + "      crt: <crt>\n"
                + "      key: <key>\n"
                + "    extraArgs:\n"
                + "      election-timeout: '5000'\n"
                + "      listen-metrics-urls: http://0.0.0.0:2381\n"
                + "    peers:\n"
                + "      - https://10.0.0.2:2379\n"
                + "      - https://10.0.0.3:2379\n", yaml);
    }

    @Test
    void writesExtraArgsSortedWhateverTheInputOrder() {
        Map<String, String> reversed = new LinkedHashMap<>();
        reversed.put("zeta", "1");
        reversed.put("alpha", "2");
        MachineConfig config = withEtcd(new EtcdSection(TestPem.pair(), reversed, List.of()));
        String yaml = writer.write(config);
        assertTrue(yaml.indexOf("alpha:") < yaml.indexOf("zeta:"), yaml);
    }

    @Test
    void omitsNullSectionsAndEmptyCollections() {
        MachineConfig config = withEtcd(new EtcdSection(TestPem.pair(), Map.of(), List.of()));
        String yaml = writer.write(config);
        assertFalse(yaml.contains("extraArgs"), yaml);
        assertFalse(yaml.contains("peers"), yaml);
        assertFalse(yaml.contains("certSANs"), yaml);
        assertFalse(yaml.contains("install"), yaml);
        assertFalse(yaml.contains("null"), yaml);
    }

    @Test
    void writesPresentButEmptySectionSoItRoundTrips() {
        MachineConfig worker = TestConfigs.worker();
        MachineConfig config = new MachineConfig(worker.version(), false, true,
                new MachineSection(MachineType.WORKER, TestConfigs.MACHINE_TOKEN, null, List.of(), null,
                        new NetworkSection(null)),
                worker.cluster());
        String yaml = writer.write(config);
        assertTrue(yaml.contains("  network: {}\n"), yaml);
        assertEquals(config, TestConfigs.parseValid(yaml));
    }

    @Test
    void quotesStringsThatWouldReadBackAsOtherTypes() {
        Map<String, String> args = Map.of("a", "true", "b", "007", "c", "", "d", "null", "e", "yes", "f", "1.5",
                "g", "0x1F", "h", "2001-01-01");
        MachineConfig config = withEtcd(new EtcdSection(TestPem.pair(), args, List.of()));
        assertEquals(config, TestConfigs.parseValid(writer.write(config)));
    }

    @Test
    void writesBlockStyleWithoutAnchors() {
        // The same PemPair instance appears several times; it must be written out each time, never aliased.
        String yaml = writer.write(TestConfigs.controlPlane());
        assertFalse(yaml.contains("&"), yaml);
        assertFalse(yaml.contains("*"), yaml);
        assertFalse(yaml.contains("{"), yaml);
        assertFalse(yaml.contains("["), yaml);
    }

    @Test
    void writesLongBase64ValuesOnOneLine() {
        String yaml = writer.write(TestConfigs.controlPlane());
        assertTrue(yaml.contains("crt: " + TestPem.certBase64() + "\n"), yaml);
    }

    private static MachineConfig withEtcd(EtcdSection etcd) {
        MachineConfig worker = TestConfigs.worker();
        ClusterSection cluster = worker.cluster();
        return new MachineConfig(worker.version(), false, true, worker.machine(),
                new ClusterSection(cluster.id(), cluster.secret(), cluster.clusterName(), cluster.controlPlane(), null, null,
                        null, null, etcd));
    }
}
