package dev.kiln.testenv.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.capi.node.FollowedStream;
import dev.kiln.capi.node.GrpcNodeConnector;
import dev.kiln.capi.node.NodeApi;
import dev.kiln.capi.node.NodeApiException;
import dev.kiln.capi.node.NodeCredentials;
import dev.kiln.capi.node.TlsMachineServer;
import dev.kiln.machinery.api.machine.ApplyConfigurationRequest;
import dev.kiln.machinery.api.machine.Event;
import dev.kiln.machinery.api.machine.MachineStatusEvent;
import dev.kiln.machinery.client.ClientCredentials;
import dev.kiln.machinery.client.MachineClient;
import dev.kiln.machinery.client.NodeAddress;
import dev.kiln.machinery.client.ServerStream;
import dev.kiln.machinery.clientconfig.KilnContext;
import dev.kiln.machinery.config.ConfigGenerator;
import dev.kiln.machinery.config.ConfigWriter;
import dev.kiln.machinery.config.MachineType;
import dev.kiln.machinery.pki.CertificateAuthority;
import dev.kiln.machinery.pki.CertificateRequest;
import dev.kiln.machinery.pki.IssuedCertificate;
import dev.kiln.machinery.pki.Role;
import dev.kiln.machinery.pki.SecretsBundle;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The machine API's node-level behaviour, written once and run against the real node-init (processes with real
 * etcd) and against the simulator, so the simulator cannot drift from the node. Three machines live through one
 * cluster's life in order: two control-plane nodes and a worker.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 150, unit = TimeUnit.SECONDS)
abstract class MachineContract {

    /** One machine under test: where its API listens and its maintenance fingerprint. */
    protected record Target(String name, String address, String endpoint, String fingerprint) {
    }

    private static final Duration PATIENCE = Duration.ofSeconds(90);

    private final SecretsBundle secrets = SecretsBundle.generate();
    private final GrpcNodeConnector connector = new GrpcNodeConnector(Duration.ofSeconds(20));
    private List<Target> targets;

    /** Starts three machines in maintenance mode on this class's addresses. */
    protected abstract List<Target> startMachines() throws Exception;

    /** A free address of this class's range for a reference server with gRPC's default ping policy. */
    protected abstract String referenceAddress();

    protected abstract void stopMachines();

    @BeforeAll
    void start() throws Exception {
        targets = startMachines();
    }

    @AfterAll
    void stop() {
        stopMachines();
    }

    private Target first() {
        return targets.get(0);
    }

    private Target second() {
        return targets.get(1);
    }

    private Target worker() {
        return targets.get(2);
    }

    private NodeApi admin(Target target) {
        return connector.connect(target.endpoint(), new NodeCredentials.ClusterAdmin(secrets));
    }

    private NodeApi maintenance(Target target) {
        return connector.connect(target.endpoint(), new NodeCredentials.Maintenance(target.fingerprint()));
    }

    @Test
    @Order(1)
    void maintenanceNodeAnswersVersionAndRefusesEtcdCalls() {
        try (NodeApi node = maintenance(first())) {
            assertTrue(node.version().maintenance(), "maintenance mode");
            NodeApiException refused = assertThrows(NodeApiException.class, node::etcdStatus);
            assertEquals(NodeApiException.Kind.PERMISSION_DENIED, refused.kind(), refused.getMessage());
        }
    }

    @Test
    @Order(2)
    void appliedConfigBringsTheNodeUpWithMutualTls() {
        apply(first(), MachineType.CONTROLPLANE, List.of(second()));
        apply(second(), MachineType.CONTROLPLANE, List.of(first()));
        apply(worker(), MachineType.WORKER, List.of());
        for (Target target : targets) {
            await(target.name() + " configured", () -> {
                try (NodeApi node = admin(target)) {
                    return !node.version().maintenance();
                } catch (NodeApiException e) {
                    return false;
                }
            });
        }
    }

    @Test
    @Order(3)
    void workerRefusesEtcdCalls() {
        try (NodeApi node = admin(worker())) {
            NodeApiException refused = assertThrows(NodeApiException.class, node::etcdStatus);
            assertEquals(NodeApiException.Kind.REFUSED, refused.kind(), refused.getMessage());
            assertTrue(refused.getMessage().contains("etcd runs only on control-plane nodes"), refused.getMessage());
        }
    }

    @Test
    @Order(4)
    void bootstrapFoundsAClusterOfOneHealthyVoter() {
        try (NodeApi node = admin(first())) {
            await("etcd ready for bootstrap on " + first().name(), () -> {
                try {
                    node.bootstrap();
                    return true;
                } catch (NodeApiException e) {
                    if (e.kind() == NodeApiException.Kind.ALREADY_EXISTS) {
                        throw e;
                    }
                    return false;
                }
            });
            NodeApi.EtcdHealth health = node.etcdStatus();
            assertTrue(health.healthy(), health.toString());
            assertEquals(health.memberId(), health.leaderId(), "the founder leads");
            assertNotEquals(0L, health.clusterId());
        }
    }

    @Test
    @Order(5)
    void secondBootstrapIsRefusedAsAlreadyExisting() {
        try (NodeApi node = admin(first())) {
            NodeApiException refused = assertThrows(NodeApiException.class, node::bootstrap);
            assertEquals(NodeApiException.Kind.ALREADY_EXISTS, refused.kind(), refused.getMessage());
        }
    }

    @Test
    @Order(6)
    void peerJoinsAsLearnerAndBecomesAVoterOfTheSameCluster() {
        try (NodeApi founder = admin(first()); NodeApi joiner = admin(second())) {
            long clusterId = founder.etcdStatus().clusterId();
            // node-init's member list may be refused while it asks the learner itself: etcd serves learners no RPC
            await("two voters", () -> {
                try {
                    NodeApi.MemberList members = founder.members();
                    return members.members().size() == 2
                            && members.members().stream().noneMatch(NodeApi.Member::learner);
                } catch (NodeApiException e) {
                    return false;
                }
            });
            await(second().name() + " healthy", () -> {
                try {
                    return joiner.etcdStatus().healthy();
                } catch (NodeApiException e) {
                    return false;
                }
            });
            assertEquals(clusterId, joiner.etcdStatus().clusterId());
            assertTrue(founder.members().members().stream().anyMatch(m -> m.peerUrls().stream()
                    .anyMatch(url -> url.contains(second().address()))), "the joiner is listed by its peer URL");
        }
    }

    @Test
    @Order(7)
    void bootstrapOnAJoinedNodeIsRefusedAsAlreadyExisting() {
        try (NodeApi node = admin(second())) {
            NodeApiException refused = assertThrows(NodeApiException.class, node::bootstrap);
            assertEquals(NodeApiException.Kind.ALREADY_EXISTS, refused.kind(), refused.getMessage());
        }
    }

    @Test
    @Order(8)
    void forfeitLeadershipHandsItToTheOtherVoter() {
        Target leader = leaderOf();
        Target other = leader == first() ? second() : first();
        try (NodeApi node = admin(leader); NodeApi follower = admin(other)) {
            assertEquals("", follower.forfeitLeadership(), "a follower has nothing to forfeit");
            node.forfeitLeadership();
            long otherId = follower.etcdStatus().memberId();
            await("leadership on " + other.name(), () -> node.etcdStatus().leaderId() == otherId);
        }
    }

    private Target leaderOf() {
        try (NodeApi node = admin(first())) {
            NodeApi.EtcdHealth health = node.etcdStatus();
            return health.leaderId() == health.memberId() ? first() : second();
        }
    }

    @Test
    @Order(9)
    void removingThisNodesOwnMemberIsRefused() {
        try (NodeApi node = admin(first())) {
            long self = node.etcdStatus().memberId();
            NodeApiException refused = assertThrows(NodeApiException.class, () -> node.removeMember(self));
            assertEquals(NodeApiException.Kind.REFUSED, refused.kind(), refused.getMessage());
        }
    }

    @Test
    @Order(10)
    void removingAnUnknownMemberIsNotFound() {
        try (NodeApi node = admin(first())) {
            NodeApiException refused = assertThrows(NodeApiException.class, () -> node.removeMember(0x1234L));
            assertEquals(NodeApiException.Kind.NOT_FOUND, refused.kind(), refused.getMessage());
        }
    }

    @Test
    @Order(11)
    void eventsStreamReportsTheRunningStage() {
        KilnContext ctx = KilnContext.forClient(secrets.os(), "contract", Set.of(Role.ADMIN),
                List.of(first().address()));
        try (MachineClient client = MachineClient.connect(NodeAddress.parse(first().endpoint()),
                new ClientCredentials.MutualTls(ctx.ca(), ctx.crt(), ctx.key()));
                ServerStream<Event> events = client.events(-1)) {
            boolean running = false;
            while (!running && events.hasNext()) {
                Event event = events.next();
                if (event.getData().is(MachineStatusEvent.class)) {
                    running = unpack(event).getStage() == MachineStatusEvent.MachineStage.RUNNING;
                }
            }
            assertTrue(running, "a RUNNING stage event");
        }
    }

    private static MachineStatusEvent unpack(Event event) {
        try {
            return event.getData().unpack(MachineStatusEvent.class);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    @Order(12)
    void eventsStreamOutlivesTheOperatorsKeepalivePings() throws Exception {
        IssuedCertificate referenceCertificate = CertificateAuthority.generate("reference", Duration.ofDays(1))
                .issue(CertificateRequest.server("reference", List.of(), List.of(referenceAddress()), Duration.ofDays(1)));
        try (TlsMachineServer reference = new TlsMachineServer(referenceAddress())
                        .permittingPingsEvery(Duration.ofMinutes(5)).start(0, referenceCertificate, null);
                FollowedStream node = FollowedStream.open(first().endpoint(), new NodeCredentials.ClusterAdmin(secrets));
                FollowedStream refused = FollowedStream.open(reference.address(), referenceCertificate)) {

            long opened = System.nanoTime();
            String reason = refused.awaitEnd(PATIENCE);
            Duration refusedAfter = Duration.ofNanos(System.nanoTime() - opened);

            assertTrue(reason != null && reason.contains("too_many_pings"),
                    "the reference server with gRPC's default policy did not refuse the pings: " + reason);
            // A node with that policy refuses a little later than the reference (its first reply resets the count).
            assertNull(node.awaitEnd(refusedAfter), "the node ended a stream that pings as the operator does");
        }
    }

    @Test
    @Order(13)
    void gracefulResetLeavesEtcdAndReturnsToMaintenanceWithTheSameFingerprint() {
        try (NodeApi node = admin(second())) {
            node.reset(true);
        }
        try (NodeApi founder = admin(first())) {
            await("one member left", () -> founder.members().members().size() == 1);
        }
        await(second().name() + " back in maintenance", () -> {
            try (NodeApi node = maintenance(second())) {
                return node.version().maintenance();
            } catch (NodeApiException e) {
                return false;
            }
        });
    }

    private void apply(Target target, MachineType type, List<Target> peers) {
        var config = ConfigGenerator.generate(secrets, type,
                ConfigGenerator.Options.of("contract", "https://" + first().address() + ":6443")
                        .withHostname(target.name())
                        .withEtcdPeers(type == MachineType.CONTROLPLANE
                                ? peers.stream().map(p -> "https://" + p.address() + ":2379").toList() : List.of()));
        byte[] yaml = new ConfigWriter().write(config).getBytes(StandardCharsets.UTF_8);
        try (MachineClient client = MachineClient.connect(NodeAddress.parse(target.endpoint()),
                ClientCredentials.Maintenance.pinned(target.fingerprint()))) {
            client.applyConfiguration(yaml, ApplyConfigurationRequest.Mode.AUTO, false, null);
        }
    }

    private static void await(String what, Supplier<Boolean> condition) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + PATIENCE + ": " + what);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }
}
