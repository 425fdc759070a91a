package dev.kiln.capi.infrastructure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.machinery.config.ConfigGenerator;
import dev.kiln.machinery.config.ConfigParser;
import dev.kiln.machinery.config.ConfigWriter;
import dev.kiln.machinery.config.MachineType;
import dev.kiln.machinery.config.ParseResult;
import dev.kiln.machinery.pki.SecretsBundle;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BootstrapDataTest {

    static SecretsBundle secrets;

    @BeforeAll
    static void generate() {
        secrets = SecretsBundle.generate();
    }

    private static String config(MachineType type, List<String> peers) {
        return new ConfigWriter().write(ConfigGenerator.generate(secrets, type,
                ConfigGenerator.Options.of("c1", "https://10.0.0.100:6443").withHostname("m1").withEtcdPeers(peers)));
    }

    private static List<String> peersOf(byte[] config) {
        var parsed = new ConfigParser().parse(new String(config, StandardCharsets.UTF_8));
        return ((ParseResult.Parsed) parsed).config().cluster().etcd().peers();
    }

    @Test
    void setsEtcdPeersOnControlPlaneConfigs() throws Exception {
        BootstrapData data = BootstrapData.parse(config(MachineType.CONTROLPLANE, List.of()));
        assertTrue(data.controlPlane());
        List<String> peers = List.of("https://10.0.0.1:2379", "https://10.0.0.3:2379");
        assertEquals(peers, peersOf(data.forNode(peers)));
    }

    @Test
    void replacesPeersTheDataAlreadyNamed() throws Exception {
        BootstrapData data = BootstrapData.parse(config(MachineType.CONTROLPLANE, List.of("https://10.9.9.9:2379")));
        assertEquals(List.of("https://10.0.0.1:2379"), peersOf(data.forNode(List.of("https://10.0.0.1:2379"))));
        assertEquals(List.of(), peersOf(data.forNode(List.of())));
    }

    @Test
    void sendsWorkerConfigsAsWritten() throws Exception {
        String worker = config(MachineType.WORKER, List.of());
        BootstrapData data = BootstrapData.parse(worker);
        assertFalse(data.controlPlane());
        assertArrayEquals(worker.getBytes(StandardCharsets.UTF_8), data.forNode(List.of("https://10.0.0.1:2379")));
    }

    @Test
    void refusesDataThatIsNoMachineConfigNamingPathsButNoValues() {
        String secretLooking = "version: v1alpha1\nmachine:\n  type: controlplane\n  token: s3cr3t-token-value\n";
        var invalid = assertThrows(BootstrapData.Invalid.class, () -> BootstrapData.parse(secretLooking));
        assertTrue(invalid.getMessage().contains("cluster"), invalid.getMessage());
        assertFalse(invalid.getMessage().contains("s3cr3t"), invalid.getMessage());
    }

    @Test
    void neverQuotesTheDocumentOnYamlSyntaxErrors() {
        String broken = "machine:\n  token: s3cr3t\n   bad: [\n";
        var invalid = assertThrows(BootstrapData.Invalid.class, () -> BootstrapData.parse(broken));
        assertFalse(invalid.getMessage().contains("s3cr3t"), invalid.getMessage());
    }
}
