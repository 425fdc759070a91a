package dev.kiln.node.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.node.NodeRefusal;
import dev.kiln.node.NodeRefusal.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BootstrapGuardTest {

    private static final BootstrapGuard.ServingPeer PEER =
            new BootstrapGuard.ServingPeer("https://127.0.0.9:2379", 0xabc123L);

    /** What the guard must answer, in its order: not ready, then an existing member or data, then a serving peer. */
    private static Optional<Expected> expected(EtcdPhase phase, boolean dataDirEmpty, boolean peerServes) {
        if (phase == EtcdPhase.PREPARING) {
            return Optional.of(new Expected(Reason.NOT_READY, "not ready"));
        }
        if (phase == EtcdPhase.JOINING) {
            return Optional.of(new Expected(Reason.ALREADY_EXISTS, "already joining"));
        }
        if (phase == EtcdPhase.BOOTSTRAPPING || phase == EtcdPhase.RUNNING) {
            return Optional.of(new Expected(Reason.ALREADY_EXISTS, "already exists"));
        }
        if (!dataDirEmpty) {
            return Optional.of(new Expected(Reason.ALREADY_EXISTS, "data directory is not empty"));
        }
        if (peerServes) {
            return Optional.of(new Expected(Reason.ALREADY_EXISTS, "peer https://127.0.0.9:2379"));
        }
        return Optional.empty();
    }

    record Expected(Reason reason, String messagePart) {
    }

    static Stream<Arguments> everyPhaseDataDirAndPeerCombination() {
        List<Arguments> rows = new ArrayList<>();
        for (EtcdPhase phase : EtcdPhase.values()) {
            for (boolean dataDirEmpty : new boolean[] {true, false}) {
                for (boolean peerServes : new boolean[] {false, true}) {
                    rows.add(Arguments.of(phase, dataDirEmpty, peerServes));
                }
            }
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "{0}, data dir empty {1}, peer serving {2}")
    @MethodSource("everyPhaseDataDirAndPeerCombination")
    void refusesInOrderNotReadyThenExistingMemberOrDataThenServingPeer(EtcdPhase phase, boolean dataDirEmpty,
            boolean peerServes) {
        Optional<NodeRefusal> refusal = BootstrapGuard.check(phase, dataDirEmpty,
                peerServes ? Optional.of(PEER) : Optional.empty());

        Optional<Expected> expected = expected(phase, dataDirEmpty, peerServes);
        assertEquals(expected.map(Expected::reason), refusal.map(NodeRefusal::reason));
        expected.ifPresent(e -> assertTrue(refusal.get().getMessage().contains(e.messagePart()),
                refusal.get().getMessage()));
    }

    @Test
    void onlyAWaitingOrLeftNodeWithEmptyDataAndNoServingPeerMayBootstrap() {
        assertEquals(Optional.empty(), BootstrapGuard.check(EtcdPhase.WAITING_FOR_CLUSTER, true, Optional.empty()));
        assertEquals(Optional.empty(), BootstrapGuard.check(EtcdPhase.LEFT, true, Optional.empty()));
    }

    @Test
    void thePeerRefusalNamesThePeerAndItsClusterIdInHex() {
        NodeRefusal refusal = BootstrapGuard.check(EtcdPhase.WAITING_FOR_CLUSTER, true, Optional.of(PEER)).orElseThrow();

        assertEquals(Reason.ALREADY_EXISTS, refusal.reason());
        assertTrue(refusal.getMessage().contains("https://127.0.0.9:2379"), refusal.getMessage());
        assertTrue(refusal.getMessage().contains("abc123"), refusal.getMessage());
    }
}
