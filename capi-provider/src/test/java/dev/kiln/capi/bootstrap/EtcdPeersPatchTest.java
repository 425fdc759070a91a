package dev.kiln.capi.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.machinery.config.ConfigGenerator;
import dev.kiln.machinery.config.ConfigParser;
import dev.kiln.machinery.config.ConfigWriter;
import dev.kiln.machinery.config.MachineType;
import dev.kiln.machinery.config.ParseResult;
import dev.kiln.machinery.pki.SecretsBundle;
import java.util.List;
import org.junit.jupiter.api.Test;

class EtcdPeersPatchTest {

    private static final SecretsBundle BUNDLE = SecretsBundle.generate();
    private static final List<String> PEERS = List.of("https://10.0.0.1:2379", "https://10.0.0.3:2379");

    private static BootstrapDataBuilder.Outcome.Built built(MachineType type, List<String> peers) {
        String yaml = new ConfigWriter().write(ConfigGenerator.generate(BUNDLE, type,
                ConfigGenerator.Options.of("c1", "https://10.0.0.100:6443").withHostname("m1").withEtcdPeers(peers)));
        return new BootstrapDataBuilder.Outcome.Built(yaml, type == MachineType.CONTROLPLANE);
    }

    private static String rendered(BootstrapDataBuilder.Outcome outcome) {
        return assertInstanceOf(BootstrapDataBuilder.Outcome.Built.class, outcome).configYaml();
    }

    private static List<String> peersOf(String yaml) {
        var parsed = assertInstanceOf(ParseResult.Parsed.class, new ConfigParser().parse(yaml));
        return parsed.config().cluster().etcd().peers();
    }

    @Test
    void setsThePeersOnAControlPlaneConfig() {
        assertEquals(PEERS, peersOf(rendered(EtcdPeersPatch.apply(built(MachineType.CONTROLPLANE, List.of()), PEERS))));
    }

    @Test
    void theSameConfigAndPeersGiveTheSameTextEveryTime() {
        String first = rendered(EtcdPeersPatch.apply(built(MachineType.CONTROLPLANE, List.of()), PEERS));
        String second = rendered(EtcdPeersPatch.apply(built(MachineType.CONTROLPLANE, List.of()), List.copyOf(PEERS)));
        assertEquals(first, second);
    }

    @Test
    void workerConfigsAndConfigsWithNoPeerToNameStayAsBuilt() {
        BootstrapDataBuilder.Outcome.Built worker = built(MachineType.WORKER, List.of());
        assertSame(worker, EtcdPeersPatch.apply(worker, PEERS));
        BootstrapDataBuilder.Outcome.Built own = built(MachineType.CONTROLPLANE, List.of("https://192.0.2.7:2379"));
        assertSame(own, EtcdPeersPatch.apply(own, List.of()));
    }

    @Test
    void peersTheDataNamesAreReplacedWhenThereArePeersToName() {
        BootstrapDataBuilder.Outcome.Built own = built(MachineType.CONTROLPLANE, List.of("https://192.0.2.7:2379"));
        assertEquals(PEERS, peersOf(rendered(EtcdPeersPatch.apply(own, PEERS))));
    }

    @Test
    void storedDataDiffersFromTheSpecOnlyBeyondItsPeers() {
        BootstrapDataBuilder.Outcome.Built built = built(MachineType.CONTROLPLANE, List.of());
        String stored = rendered(EtcdPeersPatch.apply(built, PEERS));
        assertTrue(EtcdPeersPatch.sameApartFromPeers(built, stored));
        assertTrue(EtcdPeersPatch.sameApartFromPeers(built, built.configYaml()));
        BootstrapDataBuilder.Outcome.Built otherHost = new BootstrapDataBuilder.Outcome.Built(
                built.configYaml().replace("hostname: m1", "hostname: m2"), true);
        assertFalse(EtcdPeersPatch.sameApartFromPeers(otherHost, stored));
    }
}
