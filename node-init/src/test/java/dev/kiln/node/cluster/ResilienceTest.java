package dev.kiln.node.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.machinery.api.machine.EtcdMemberStatus;
import dev.kiln.machinery.client.MachineClient;
import dev.kiln.machinery.config.MachineType;
import dev.kiln.node.supervisor.ProcessTree;
import dev.kiln.node.testing.Await;
import dev.kiln.node.testing.EtcdKeys;
import dev.kiln.node.testing.NodeProcess;
import dev.kiln.node.testing.TestCluster;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** A crashed or powered-off node-init comes back as the same member; a snapshot founds a new cluster elsewhere. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResilienceTest {

    private static final Duration RESTART = Duration.ofSeconds(90);

    private Path work;
    private TestCluster cluster;
    private TestCluster recovery;
    private List<NodeProcess> nodes;

    @BeforeAll
    void formCluster(@TempDir Path dir) throws Exception {
        work = dir;
        cluster = new TestCluster("127.0.24", work.resolve("cluster"));
        nodes = new ArrayList<>(cluster.formControlPlane(3));
    }

    @AfterAll
    void stopClusters() throws Exception {
        cluster.close();
        if (recovery != null) {
            recovery.close();
        }
    }

    @Test
    void nodeInitKilledHardResumesWithTheSameConfigClusterAndMember() throws Exception {
        NodeProcess bootstrapped = nodes.get(0);
        NodeFacts before = facts(bootstrapped);

        bootstrapped.killHard();
        NodeProcess restarted = restart(0, before.etcdPid());

        NodeFacts after = facts(restarted);
        assertEquals(before.config(), after.config(), "config on STATE");
        assertEquals(before.membershipRecord(), after.membershipRecord(), "etcd membership record");
        assertEquals(before.status().getClusterId(), after.status().getClusterId(), "cluster id");
        assertEquals(before.status().getMemberId(), after.status().getMemberId(), "member id");
        assertEquals(3, cluster.awaitVotingMembers(restarted, 3).size());
        assertEquals(List.of("resume"), launchesSince(restarted, before.etcdLaunches()));
    }

    @Test
    void nodeInitKilledHardReapsItsOrphanedEtcdThroughThePidfileOnRestart() throws Exception {
        NodeProcess joined = nodes.get(1);
        NodeFacts before = facts(joined);
        long orphan = before.etcdPid();

        joined.killHard();
        assertTrue(isAlive(orphan), "etcd should outlive a node-init killed with SIGKILL");
        NodeProcess restarted = restart(1, orphan);

        assertFalse(isAlive(orphan), "orphan etcd still runs");
        assertTrue(etcdLog(restarted).contains("killed process " + orphan + " left running by a previous node-init"));
        assertEquals(before.status().getMemberId(), facts(restarted).status().getMemberId());
    }

    @Test
    void nodeKilledWithItsEtcdResumesTheSameMemberOnRestart() throws Exception {
        NodeProcess joined = nodes.get(2);
        NodeFacts before = facts(joined);

        joined.killWithChildren();
        NodeProcess restarted = restart(2, before.etcdPid());

        NodeFacts after = facts(restarted);
        assertEquals(before.status().getMemberId(), after.status().getMemberId(), "member id");
        assertEquals(before.status().getClusterId(), after.status().getClusterId(), "cluster id");
        assertEquals(3, cluster.awaitVotingMembers(restarted, 3).size());
        assertEquals(List.of("resume"), launchesSince(restarted, before.etcdLaunches()));
    }

    @Test
    void snapshotRecoversIntoAFreshNodeOfANewCluster() throws Exception {
        NodeProcess source = nodes.get(1);
        try (EtcdKeys keys = cluster.etcdKeys(source)) {
            keys.put("recover/alpha", "1");
            keys.put("recover/beta", "2");
        }
        Path snapshot = work.resolve("etcd.snapshot");
        try (MachineClient client = cluster.admin(source); OutputStream out = Files.newOutputStream(snapshot)) {
            assertTrue(client.etcdSnapshot(out).bytes() > 0, "empty snapshot");
        }

        recovery = new TestCluster("127.0.25", work.resolve("recovery"));
        NodeProcess fresh = recovery.startNode(1);
        recovery.configure(fresh, recovery.config(MachineType.CONTROLPLANE, recovery.etcdPeers(1)));
        try (MachineClient client = recovery.admin(fresh); InputStream in = Files.newInputStream(snapshot)) {
            client.etcdRecover(in);
            client.bootstrap(true, false);
        }

        try (EtcdKeys keys = recovery.etcdKeys(fresh)) {
            assertEquals(Optional.of("1"), keys.get("recover/alpha"));
            assertEquals(Optional.of("2"), keys.get("recover/beta"));
        }
        assertEquals(1, recovery.awaitVotingMembers(fresh, 1).size());
    }

    @Test
    void aSnapshotIsSentFromASpoolOnEphemeralWhichIsGoneOnceSent() throws Exception {
        NodeProcess source = nodes.get(0);
        try (EtcdKeys keys = cluster.etcdKeys(source)) {
            for (int i = 0; i < 24; i++) {
                keys.put("spool/key-" + i, "x".repeat(256 * 1024));
            }
        }
        Path ephemeral = source.root().resolve("EPHEMERAL");
        List<Long> spoolsWhileReceiving = new ArrayList<>();
        OutputStream receiver = new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                if (spoolsWhileReceiving.isEmpty()) {
                    spoolsWhileReceiving.add(spools(ephemeral));
                }
            }
        };
        long sent;
        try (MachineClient client = cluster.admin(source)) {
            sent = client.etcdSnapshot(receiver).bytes();
        }

        assertTrue(sent > 24L * 256 * 1024, "a snapshot of every key: " + sent + " bytes");
        assertEquals(List.of(1L), spoolsWhileReceiving, "one spool on EPHEMERAL while the snapshot is sent");
        Await.until("the spool deleted", Duration.ofSeconds(30),
                () -> spools(ephemeral) == 0 ? Optional.of(true) : Optional.empty());
    }

    private static long spools(Path ephemeral) {
        try (var files = Files.list(ephemeral)) {
            return files.filter(f -> f.getFileName().toString().startsWith("etcd-snapshot-")).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What a restart must keep: the node's config, its membership record and its member in the cluster. */
    private record NodeFacts(String config, String membershipRecord, EtcdMemberStatus status, int etcdLaunches,
            long etcdPid) {
    }

    private NodeFacts facts(NodeProcess node) throws Exception {
        Path state = node.root().resolve("STATE");
        return new NodeFacts(Files.readString(state.resolve("config.yaml")),
                Files.readString(state.resolve("etcd-membership.properties")), healthyStatus(node),
                launches(node).size(), etcdPid(node));
    }

    /** Restarts node-init and waits until it runs an etcd of its own, not the one from before the kill. */
    private NodeProcess restart(int index, long etcdPidBefore) throws Exception {
        NodeProcess restarted = nodes.get(index).restart();
        cluster.track(restarted);
        nodes.set(index, restarted);
        Await.condition(restarted.hostname() + " starts a new etcd", RESTART, () -> {
            long pid = etcdPid(restarted);
            return pid != etcdPidBefore && isAlive(pid);
        });
        healthyStatus(restarted);
        return restarted;
    }

    /** Zombies count as gone: the orphan's new parent may reap it late. */
    private static boolean isAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessTree::isLive).orElse(false);
    }

    private EtcdMemberStatus healthyStatus(NodeProcess node) throws Exception {
        return Await.until(node.hostname() + " serves a voting etcd member", RESTART, () -> {
            try (MachineClient client = cluster.admin(node)) {
                EtcdMemberStatus status = client.etcdStatus();
                return status.getLeader() != 0 && !status.getIsLearner() ? Optional.of(status) : Optional.empty();
            }
        });
    }

    private static long etcdPid(NodeProcess node) throws IOException {
        String pidfile = Files.readString(node.root().resolve("EPHEMERAL").resolve("run").resolve("etcd.pid"));
        return Long.parseLong(pidfile.lines().filter(line -> line.startsWith("pid:")).findFirst().orElseThrow()
                .substring("pid:".length()).strip());
    }

    private static String etcdLog(NodeProcess node) throws IOException {
        return Files.readString(node.root().resolve("EPHEMERAL").resolve("logs").resolve("etcd.log"));
    }

    /** How node-init started etcd, one entry per start, e.g. "resume" or "newcluster". */
    private static List<String> launches(NodeProcess node) throws IOException {
        return etcdLog(node).lines().filter(line -> line.startsWith("[kiln] starting etcd ("))
                .map(line -> line.substring("[kiln] starting etcd (".length(), line.length() - 1).toLowerCase())
                .toList();
    }

    private static List<String> launchesSince(NodeProcess node, int earlier) throws IOException {
        List<String> all = launches(node);
        return all.subList(earlier, all.size());
    }
}
