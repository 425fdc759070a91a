package dev.kiln.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LeaderElectionTest {

    private static OperatorSettings settings(Optional<String> leaseNamespace) {
        return new OperatorSettings(Optional.empty(), true, leaseNamespace, "kiln-lease", true, 8080, 8081,
                "replica-a", Optional.empty(), Optional.empty());
    }

    private static final Runnable NO_EXIT = () -> {
        throw new AssertionError("must not exit");
    };

    @Test
    void carriesTheLeaseNameNamespaceAndIdentity() {
        LeaderElectionConfiguration config = LeaderElection.configuration(settings(Optional.of("kiln-system")),
                "default", () -> false, NO_EXIT);
        assertEquals("kiln-lease", config.getLeaseName());
        assertEquals(Optional.of("kiln-system"), config.getLeaseNamespace());
        assertEquals(Optional.of("replica-a"), config.getIdentity());
    }

    @Test
    void theLeaseLivesInTheClientsNamespaceUnlessOneIsSet() {
        LeaderElectionConfiguration config = LeaderElection.configuration(settings(Optional.empty()), "kiln-system",
                () -> false, NO_EXIT);
        assertEquals(Optional.of("kiln-system"), config.getLeaseNamespace());
    }

    @Test
    void noNamespaceAnywhereNamesTheFlag() {
        SettingsException error = assertThrows(SettingsException.class,
                () -> LeaderElection.configuration(settings(Optional.empty()), null, () -> false, NO_EXIT));
        assertTrue(error.getMessage().startsWith("--leader-election-namespace:"), error.getMessage());
    }

    @Test
    void kilnNotJosdkDecidesToExitOnALostLease() {
        LeaderElectionConfiguration config = LeaderElection.configuration(settings(Optional.of("ns")), null,
                () -> false, NO_EXIT);
        assertFalse(config.isExitOnStopLeading(), "JOSDK's own exit deadlocks inside a shutdown hook");
    }

    @Test
    void losingTheLeaseWhileRunningExits() throws Exception {
        CountDownLatch exited = new CountDownLatch(1);
        LeaderElectionConfiguration config = LeaderElection.configuration(settings(Optional.of("ns")), null,
                () -> false, exited::countDown);
        config.getLeaderCallbacks().orElseThrow().onStopLeading();
        assertTrue(exited.await(5, TimeUnit.SECONDS));
    }

    @Test
    void releasingTheLeaseWhileStoppingDoesNotExit() throws Exception {
        CountDownLatch exited = new CountDownLatch(1);
        LeaderElectionConfiguration config = LeaderElection.configuration(settings(Optional.of("ns")), null,
                () -> true, exited::countDown);
        config.getLeaderCallbacks().orElseThrow().onStopLeading();
        assertFalse(exited.await(300, TimeUnit.MILLISECONDS));
    }
}
