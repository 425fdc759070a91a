package dev.kiln.node.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.machinery.api.machine.ApplyConfigurationRequest;
import dev.kiln.machinery.api.machine.EtcdMember;
import dev.kiln.machinery.api.machine.EtcdMemberStatus;
import dev.kiln.machinery.api.machine.ServiceInfo;
import dev.kiln.machinery.client.ClientCredentials;
import dev.kiln.machinery.client.MachineApiException;
import dev.kiln.machinery.client.MachineClient;
import dev.kiln.machinery.config.ConfigGenerator;
import dev.kiln.machinery.config.ConfigWriter;
import dev.kiln.machinery.config.MachineType;
import dev.kiln.node.testing.Await;
import dev.kiln.node.testing.EtcdKeys;
import dev.kiln.node.testing.JoinerFacts;
import dev.kiln.node.testing.NodeEvents;
import dev.kiln.node.testing.NodeProcess;
import dev.kiln.node.testing.TestCluster;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A fourth control-plane node joins a formed three-node cluster and is killed with its whole process tree (kill -9)
 * the moment its disk or log shows a phase of the join, then restarted on the same disk. Whatever the phase, the
 * cluster keeps one identity, every acknowledged key, and gets the node back as a voter.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EtcdJoinCrashTest {

    private static final String SUBNET = "127.0.60";
    private static final int RUNS = 3;
    private static final Duration KILL_POINT_WITHIN = Duration.ofSeconds(120);
    private static final Duration RECOVERY = Duration.ofSeconds(150);

    /** Where in a join the node dies, and the marker on its disk or in its log that says it got there. */
    enum KillPoint {
        AFTER_APPLY(facts -> Files.exists(facts.root().resolve("STATE").resolve("config.yaml"))),
        LEARNER_ADDED(facts -> facts.origin().equals("JOINING")),
        BEFORE_WAL(facts -> facts.etcdLogText().contains("[kiln] starting etcd (JoinExisting)")),
        MEMBER_DIR(JoinerFacts::memberDirExists),
        AFTER_ETCD_STARTS(JoinerFacts::walWritten),
        BEFORE_PROMOTION(facts -> facts.origin().equals("ETCD_STARTED")),
        AFTER_PROMOTION(facts -> facts.origin().equals("JOINED"));

        private final Predicate<JoinerFacts> reached;

        KillPoint(Predicate<JoinerFacts> reached) {
            this.reached = reached;
        }
    }

    private record Row(KillPoint point, int run, String stateAtKill, String outcome, double recoverySeconds) {
    }

    private final List<Row> table = new ArrayList<>();
    private final List<String> acknowledged = new ArrayList<>();
    private TestCluster cluster;
    private List<NodeProcess> voters;
    private NodeProcess joiner;
    private Path joinerRoot;
    private String joinerConfig;

    @BeforeAll
    void formCluster(@TempDir Path dir) throws Exception {
        cluster = new TestCluster(SUBNET, dir.resolve("cluster"));
        voters = cluster.formControlPlane(3);
        joinerRoot = dir.resolve("cluster").resolve("node-4");
        // No install section: the joiner goes from maintenance to configured in one reboot, which keeps runs short.
        joinerConfig = new ConfigWriter().write(ConfigGenerator.generate(cluster.secrets(), MachineType.CONTROLPLANE,
                ConfigGenerator.Options.of("test", "https://" + cluster.address(1) + ":6443")
                        .withEtcdPeers(cluster.etcdPeers(3))));
    }

    @AfterAll
    void printTableAndStop() throws Exception {
        StringBuilder out = new StringBuilder(
                "\nkill point          run  state at kill        outcome                        recovery s\n");
        for (Row row : table) {
            out.append(String.format("%-19s %3d  %-20s %-30s %8.1f%n", row.point(), row.run(), row.stateAtKill(),
                    row.outcome(), row.recoverySeconds()));
        }
        System.out.println(out);
        if (joiner != null) {
            joiner.close();
        }
        cluster.close();
    }

    static Stream<Arguments> killPoints() {
        return Stream.of(KillPoint.values())
                .flatMap(point -> Stream.iterate(1, run -> run + 1).limit(RUNS).map(run -> Arguments.of(point, run)));
    }

    @Order(1)
    @ParameterizedTest(name = "killed {0}, run {1}")
    @MethodSource("killPoints")
    void aJoinKilledAtAnyPhaseEndsWithTheNodeAVoterOfTheSameClusterAndNoKeyLost(KillPoint point, int run)
            throws Exception {
        startFreshJoiner();
        JoinerFacts facts = new JoinerFacts(joinerRoot);
        writeKeys(point + "/" + run + "/before");
        CompletableFuture<Void> killed = CompletableFuture.runAsync(() -> killWhen(point, facts));
        CompletableFuture<Void> applied = CompletableFuture.runAsync(this::applyJoinerConfig);
        killed.get(KILL_POINT_WITHIN.toSeconds(), TimeUnit.SECONDS);
        applied.handle((ok, error) -> null).get(30, TimeUnit.SECONDS);
        String stateAtKill = facts.origin().isEmpty() ? "no record" : facts.origin()
                + (facts.walWritten() ? "+WAL" : facts.memberDirExists() ? "+member/" : "");
        writeKeys(point + "/" + run + "/after-kill");
        int launchesBefore = facts.launches().size();
        int plansBefore = bootPlans(facts).size();

        long restartedAt = System.nanoTime();
        joiner = joiner.restart();
        cluster.track(joiner);
        EtcdMemberStatus status = awaitVoter(joiner);
        Await.condition("the joiner's record says JOINED", RECOVERY, () -> facts.origin().equals("JOINED"));
        double recovery = (System.nanoTime() - restartedAt) / 1e9;
        table.add(new Row(point, run, stateAtKill, "voter after " + planAfter(facts, plansBefore), recovery));

        assertOneClusterIdentity(status, facts);
        assertNoLearnerLeft();
        assertEveryAcknowledgedKeyReadable();
        List<String> launches = facts.launches();
        assertFalse(launches.subList(launchesBefore, launches.size()).contains("newcluster"),
                "etcd started as a new cluster after the restart: " + launches);
    }

    @Order(2)
    @Test
    void aRemovedMemberStopsEtcdSaysRemovedAndStaysStoppedAcrossRestartsUntilReset() throws Exception {
        if (joiner == null || !isVoter(joiner)) {
            startFreshJoiner();
            applyJoinerConfig();
            awaitVoter(joiner);
        }
        JoinerFacts facts = new JoinerFacts(joinerRoot);
        EtcdMemberStatus status = awaitVoter(joiner);
        String removed = "etcd: removed from cluster " + Long.toHexString(status.getClusterId());
        try (MachineClient client = cluster.admin(voters.get(0))) {
            client.etcdRemoveMemberById(status.getMemberId());
        }

        awaitEtcdService(joiner, "Failed", removed);
        assertEquals("REMOVED", facts.origin());
        MachineApiException refusal = assertThrows(MachineApiException.class, () -> {
            try (MachineClient client = cluster.admin(joiner)) {
                client.etcdStatus();
            }
        });
        assertEquals(Status.Code.FAILED_PRECONDITION, refusal.code());
        assertTrue(refusal.getMessage().contains(removed), refusal.getMessage());
        MachineApiException listRefusal = assertThrows(MachineApiException.class, () -> {
            try (MachineClient client = cluster.admin(joiner)) {
                client.etcdMemberList(false);
            }
        });
        assertTrue(listRefusal.getMessage().contains(removed), listRefusal.getMessage());
        int startsAfterRemoval = facts.launches().size();

        // A new node-init reading the same disk is the supervisor that would restart etcd, if anything did.
        int bootsBefore = countOf(joiner.consoleText(), "running: machine API");
        joiner.killWithChildren();
        joiner = joiner.restart();
        cluster.track(joiner);
        Await.condition("node-init booted again", RECOVERY,
                () -> countOf(joiner.consoleText(), "running: machine API") > bootsBefore);
        ServiceInfo etcd = awaitEtcdService(joiner, "Failed", removed);
        assertTrue(etcd.getEvents().getEventsList().stream().anyMatch(e -> e.getMsg().equals(removed)),
                "the new node-init's own event says removed: " + etcd);
        assertEquals(startsAfterRemoval, facts.launches().size(), "etcd was started again after removal");
        assertEquals(4 - 1, memberList().size(), "the cluster has only the three voters left");

        int maintenanceBefore = countOf(joiner.consoleText(), "maintenance mode:");
        try (MachineClient client = cluster.admin(joiner)) {
            client.reset(true, true, List.of());
        }
        Await.condition("reset node back in maintenance", RECOVERY,
                () -> countOf(joiner.consoleText(), "maintenance mode:") > maintenanceBefore);
        assertFalse(Files.exists(facts.recordFile()), "membership record survived the reset");
        assertFalse(facts.memberDirExists(), "etcd data survived the reset");
        assertEquals(List.of(), facts.launches(), "etcd started after the reset, before any config");
    }

    @Order(3)
    @Test
    void anEtcdWhoseClusterIdDiffersFromTheRecordIsStoppedAndFailedWithBothIds() throws Exception {
        startFreshJoiner();
        applyJoinerConfig();
        EtcdMemberStatus status = awaitVoter(joiner);
        JoinerFacts facts = new JoinerFacts(joinerRoot);
        joiner.killWithChildren();
        long otherCluster = status.getClusterId() ^ 0x5a5a5a5aL;
        String record = Files.readString(facts.recordFile()).replace(
                "clusterId=" + Long.toHexString(status.getClusterId()), "clusterId=" + Long.toHexString(otherCluster));
        Files.writeString(facts.recordFile(), record);

        joiner = joiner.restart();
        cluster.track(joiner);
        String mismatch = "cluster ID mismatch: record " + Long.toHexString(otherCluster) + ", etcd "
                + Long.toHexString(status.getClusterId());
        ServiceInfo etcd = awaitEtcdService(joiner, "Failed", mismatch);
        assertFalse(etcd.getHealth().getHealthy());
        assertTrue(etcd.getEvents().getEventsList().stream().noneMatch(e -> e.getMsg().startsWith("healthy")),
                "etcd was reported healthy before the mismatch: " + etcd.getEvents());
        Await.condition("etcd process stopped", RECOVERY, () -> !etcdRuns(joiner));
    }

    @Order(4)
    @Test
    void aJoinerBlockedByADeadNodesLearnerSaysWhichAndRemovesItOnceStale() throws Exception {
        startFreshJoiner();
        JoinerFacts facts = new JoinerFacts(joinerRoot);
        CompletableFuture<Void> killed = CompletableFuture.runAsync(() -> killWhen(KillPoint.LEARNER_ADDED, facts));
        applyJoinerConfig();
        killed.get(KILL_POINT_WITHIN.toSeconds(), TimeUnit.SECONDS);
        String staleId = Long.toHexString(facts.recordedMemberId());
        String waiting = "waiting for learner " + staleId + " (https://" + cluster.address(4) + ":2380)";

        NodeProcess second = NodeProcess.start(joinerRoot.resolveSibling("node-5"), cluster.address(5), "node-5");
        cluster.track(second);
        String fingerprint = second.awaitFingerprint(Duration.ofSeconds(60));
        try (MachineClient maintenance = MachineClient.connect(TestCluster.nodeAddress(second),
                ClientCredentials.Maintenance.pinned(fingerprint))) {
            maintenance.applyConfiguration(joinerConfig.getBytes(StandardCharsets.UTF_8),
                    ApplyConfigurationRequest.Mode.AUTO, false, null);
        }
        Await.until("node-5 says which learner it waits for", RECOVERY, () -> {
            try (MachineClient client = cluster.admin(second)) {
                return client.serviceList().stream()
                        .filter(s -> s.getId().equals("etcd") && s.getHealth().getLastMessage().equals(waiting))
                        .findFirst();
            }
        });
        try (MachineClient client = cluster.admin(second)) {
            NodeEvents.awaitServiceMessage(client, "etcd", waiting, RECOVERY);
            NodeEvents.awaitServiceMessage(client, "etcd", "removing stale learner " + staleId, RECOVERY);
        }
        Await.condition("node-5 a voter, the stale learner gone", RECOVERY, () -> {
            List<EtcdMember> members = memberList();
            return members.stream().anyMatch(m -> m.getHostname().equals("node-5") && !m.getIsLearner())
                    && members.stream().noneMatch(m -> Long.toHexString(m.getId()).equals(staleId));
        });
        assertNoLearnerLeft();
    }

    // ---- steps

    private void startFreshJoiner() throws Exception {
        if (joiner != null) {
            joiner.killWithChildren();
        }
        removeJoinerMember();
        deleteRecursively(joinerRoot);
        Files.deleteIfExists(joinerRoot.resolveSibling("node-4.console.log"));
        joiner = NodeProcess.start(joinerRoot, cluster.address(4), "node-4");
        cluster.track(joiner);
    }

    private void removeJoinerMember() throws Exception {
        Await.condition("node-4 gone from the member list", RECOVERY, () -> {
            Optional<EtcdMember> member = memberList().stream().filter(this::isJoiner).findFirst();
            if (member.isPresent()) {
                try (MachineClient client = cluster.admin(voters.get(0))) {
                    client.etcdRemoveMemberById(member.get().getId());
                }
            }
            return memberList().stream().noneMatch(this::isJoiner);
        });
    }

    private boolean isJoiner(EtcdMember member) {
        return member.getHostname().equals("node-4")
                || member.getPeerUrlsList().contains("https://" + cluster.address(4) + ":2380");
    }

    private void applyJoinerConfig() {
        try {
            String fingerprint = joiner.awaitFingerprint(Duration.ofSeconds(60));
            try (MachineClient maintenance = MachineClient.connect(TestCluster.nodeAddress(joiner),
                    ClientCredentials.Maintenance.pinned(fingerprint))) {
                maintenance.applyConfiguration(joinerConfig.getBytes(StandardCharsets.UTF_8),
                        ApplyConfigurationRequest.Mode.AUTO, false, null);
            }
        } catch (Exception e) {
            throw new IllegalStateException("applying the joiner's config: " + e.getMessage(), e);
        }
    }

    /** Polls the joiner's disk and log and kills its process tree the moment the marker appears. */
    private void killWhen(KillPoint point, JoinerFacts facts) {
        long deadline = System.nanoTime() + KILL_POINT_WITHIN.toNanos();
        try {
            while (!point.reached.test(facts)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("kill point " + point + " never reached");
                }
                Thread.sleep(1);
            }
            joiner.killWithChildren();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private void writeKeys(String prefix) throws Exception {
        try (EtcdKeys keys = cluster.etcdKeys(voters.get(0))) {
            for (int i = 0; i < 5; i++) {
                String key = "acked/" + prefix + "/" + i;
                keys.put(key, key);
                acknowledged.add(key);
            }
        }
    }

    // ---- checks

    private EtcdMemberStatus awaitVoter(NodeProcess node) throws Exception {
        return Await.until(node.hostname() + " a started voter with no learner left", RECOVERY, () -> {
            List<EtcdMember> members = memberList();
            boolean settled = members.stream().anyMatch(m -> isJoiner(m) && !m.getIsLearner())
                    && members.stream().noneMatch(m -> m.getIsLearner() || m.getHostname().isEmpty());
            if (!settled) {
                return Optional.empty();
            }
            try (MachineClient client = cluster.admin(node)) {
                EtcdMemberStatus status = client.etcdStatus();
                return status.getLeader() != 0 && !status.getIsLearner() ? Optional.of(status) : Optional.empty();
            }
        });
    }

    private static List<String> bootPlans(JoinerFacts facts) {
        return facts.etcdLogText().lines().filter(line -> line.startsWith("[kiln] etcd boot plan: "))
                .map(line -> line.substring("[kiln] etcd boot plan: ".length()).split("\\[")[0]).toList();
    }

    /** The plan the restarted node-init chose from its record and data directory. */
    private static String planAfter(JoinerFacts facts, int plansBefore) {
        List<String> plans = bootPlans(facts);
        return plans.size() > plansBefore ? plans.get(plansBefore) : "no plan";
    }

    private boolean isVoter(NodeProcess node) {
        try (MachineClient client = cluster.admin(node)) {
            EtcdMemberStatus status = client.etcdStatus();
            return status.getLeader() != 0 && !status.getIsLearner();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private void assertOneClusterIdentity(EtcdMemberStatus joinerStatus, JoinerFacts facts) {
        for (NodeProcess voter : voters) {
            try (MachineClient client = cluster.admin(voter)) {
                assertEquals(Long.toHexString(joinerStatus.getClusterId()),
                        Long.toHexString(client.etcdStatus().getClusterId()), voter.hostname() + " cluster ID");
            }
        }
        assertEquals(Long.toHexString(facts.recordedClusterId()), Long.toHexString(joinerStatus.getClusterId()),
                "the joiner serves the cluster of its record");
        assertEquals(Long.toHexString(facts.recordedMemberId()), Long.toHexString(joinerStatus.getMemberId()),
                "the joiner is the member of its record");
        assertEquals("JOINED", facts.origin());
    }

    private void assertNoLearnerLeft() {
        List<EtcdMember> members = memberList();
        assertEquals(4, members.size(), "members: " + members);
        assertTrue(members.stream().noneMatch(m -> m.getIsLearner() || m.getHostname().isEmpty()),
                "an unstarted or unpromoted member is left: " + members);
    }

    private void assertEveryAcknowledgedKeyReadable() throws Exception {
        for (NodeProcess node : List.of(voters.get(0), joiner)) {
            try (EtcdKeys keys = cluster.etcdKeys(node)) {
                for (String key : acknowledged) {
                    assertEquals(Optional.of(key), keys.get(key), key + " read through " + node.hostname());
                }
            }
        }
    }

    private List<EtcdMember> memberList() {
        try (MachineClient client = cluster.admin(voters.get(0))) {
            return client.etcdMemberList(false).getMembersList();
        }
    }

    private ServiceInfo awaitEtcdService(NodeProcess node, String state, String message) throws Exception {
        return Await.until("etcd on " + node.hostname() + " " + state + " with '" + message + "'", RECOVERY, () -> {
            try (MachineClient client = cluster.admin(node)) {
                return client.serviceList().stream()
                        .filter(s -> s.getId().equals("etcd") && s.getState().equals(state)
                                && s.getHealth().getLastMessage().contains(message))
                        .findFirst();
            }
        });
    }

    private boolean etcdRuns(NodeProcess node) {
        return ProcessHandle.allProcesses().anyMatch(p -> p.info().commandLine()
                .map(line -> line.contains("/usr/bin/etcd ") && line.contains(node.address() + ":2379"))
                .orElse(false));
    }

    private static int countOf(String text, String needle) {
        int count = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            count++;
        }
        return count;
    }

    private static void deleteRecursively(Path path) throws Exception {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
