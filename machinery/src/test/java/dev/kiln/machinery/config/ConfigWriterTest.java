package dev.kiln.machinery.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
    String yaml = writer.write(TestConfigs.controlPlane());
    List<String> expected = List.of("version", "debug", "persist", "machine", "  type", "  token", "  ca",
        "  certSANs", "  install", "    disk", "    image", "    wipe", "  network", "cluster", "  id", "  secret",
        "  clusterName", "  controlPlane", "  token", "  ca", "  aggregatorCA", "  serviceAccount", "  etcd",
        "    ca", "    extraArgs", "    peers");
    assertEquals(expected, keysAtDepthAtMostTwo(yaml));
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

  private static List<String> keysAtDepthAtMostTwo(String yaml) {
    Matcher matcher = Pattern.compile("(?m)^((?: {2}){0,2}[A-Za-z]+):").matcher(yaml);
    List<String> keys = new java.util.ArrayList<>();
    while (matcher.find()) {
      keys.add(matcher.group(1));
    }
    keys.removeIf(key -> key.startsWith("    ") && !List.of("    disk", "    image", "    wipe", "    ca",
        "    extraArgs", "    peers").contains(key));
    return keys;
  }
}
