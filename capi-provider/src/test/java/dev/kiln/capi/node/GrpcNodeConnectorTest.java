package dev.kiln.capi.node;

import static dev.kiln.capi.etcd.EtcdTestBed.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.capi.node.events.GrpcNodeEventFeed;
import dev.kiln.capi.node.events.NodeEventFeed;
import dev.kiln.machinery.client.NodeAddress;
import dev.kiln.machinery.pki.CertificateAuthority;
import dev.kiln.machinery.pki.CertificateRequest;
import dev.kiln.machinery.pki.IssuedCertificate;
import dev.kiln.machinery.pki.SecretsBundle;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Shared channels against real gRPC servers over real TLS on 127.0.44.1-2. */
class GrpcNodeConnectorTest {

    private static final String HOST = "127.0.44.1";
    private static final String OTHER_HOST = "127.0.44.2";
    private static final Duration DEADLINE = Duration.ofSeconds(10);
    private static final CertificateAuthority MAINTENANCE_ISSUER =
            CertificateAuthority.generate("maintenance", Duration.ofDays(1));
    private static final IssuedCertificate MAINTENANCE = serverCertificate(MAINTENANCE_ISSUER);
    private static final IssuedCertificate MAINTENANCE_AFTER_RESET = serverCertificate(MAINTENANCE_ISSUER);
    private static final SecretsBundle CLUSTER = SecretsBundle.generate();
    private static final IssuedCertificate CONFIGURED = serverCertificate(CLUSTER.os());

    private final List<TlsMachineServer> servers = new ArrayList<>();
    private final ClientContexts contexts = new ClientContexts();
    private NodeChannels channels = new NodeChannels(NodeChannels.IDLE_TIMEOUT, NodeChannels.MAX_CHANNELS);
    private GrpcNodeConnector connector = new GrpcNodeConnector(DEADLINE, channels, contexts);

    private static IssuedCertificate serverCertificate(CertificateAuthority issuer) {
        return issuer.issue(CertificateRequest.server("node", List.of(), List.of(HOST, OTHER_HOST),
                Duration.ofDays(1)));
    }

    @AfterEach
    void stop() throws InterruptedException {
        connector.close();
        for (TlsMachineServer server : servers) {
            server.close();
        }
    }

    private TlsMachineServer serve(String host, int port, IssuedCertificate certificate, CertificateAuthority clientCa)
            throws Exception {
        TlsMachineServer server = new TlsMachineServer(host).start(port, certificate, clientCa);
        servers.add(server);
        return server;
    }

    private static NodeCredentials.Maintenance pinned(IssuedCertificate certificate) {
        return new NodeCredentials.Maintenance(certificate.fingerprint());
    }

    private String versionOf(String address, NodeCredentials credentials) {
        try (NodeApi node = connector.connect(address, credentials)) {
            return node.version().tag();
        }
    }

    @Test
    void callsThroughSeparateNodeApisShareOneChannelAndOneHandshake() throws Exception {
        TlsMachineServer node = serve(HOST, 0, MAINTENANCE, null);

        assertEquals("v1.0.0", versionOf(node.address(), pinned(MAINTENANCE)));
        assertEquals("v1.0.0", versionOf(node.address(), pinned(MAINTENANCE)));
        assertEquals("v1.0.0", versionOf(node.address(), pinned(MAINTENANCE)));

        assertEquals(1, node.connections());
        assertEquals(1, channels.opened());
    }

    @Test
    void aPreparedChannelConnectsBeforeAnyCallAndTheFirstCallUsesThatConnection() throws Exception {
        TlsMachineServer node = serve(HOST, 0, MAINTENANCE, null);

        connector.prepare(node.address(), pinned(MAINTENANCE));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (node.connections() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(1, node.connections());

        assertEquals("v1.0.0", versionOf(node.address(), pinned(MAINTENANCE)));
        assertEquals(1, node.connections());
        assertEquals(1, channels.opened());
    }

    @Test
    void anEventStreamAndTheCallsToItsNodeShareOneConnection() throws Exception {
        TlsMachineServer node = serve(HOST, 0, MAINTENANCE, null);
        CountDownLatch firstEvent = new CountDownLatch(1);

        try (AutoCloseable stream = new GrpcNodeEventFeed(connector).follow(node.address(), pinned(MAINTENANCE),
                new NodeEventFeed.Listener() {
                    @Override
                    public void onEvent() {
                        firstEvent.countDown();
                    }

                    @Override
                    public void onEnd(String reason) {
                    }
                })) {
            assertTrue(firstEvent.await(30, TimeUnit.SECONDS), "the stream never delivered its first event");
            assertEquals("v1.0.0", versionOf(node.address(), pinned(MAINTENANCE)));

            assertEquals(1, node.connections());
            assertEquals(1, channels.opened());
        }
    }

    @Test
    void eventStreamsOfManyNodesReportOnTheFewCallbackThreads() throws Exception {
        List<TlsMachineServer> nodes = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            nodes.add(serve(i % 2 == 0 ? HOST : OTHER_HOST, 0, MAINTENANCE, null));
        }
        CountDownLatch firstEvents = new CountDownLatch(nodes.size());
        Set<String> reportedOn = ConcurrentHashMap.newKeySet();
        List<AutoCloseable> streams = new ArrayList<>();
        try {
            for (TlsMachineServer node : nodes) {
                streams.add(new GrpcNodeEventFeed(connector).follow(node.address(), pinned(MAINTENANCE),
                        new NodeEventFeed.Listener() {
                            @Override
                            public void onEvent() {
                                reportedOn.add(Thread.currentThread().getName());
                                firstEvents.countDown();
                            }

                            @Override
                            public void onEnd(String reason) {
                            }
                        }));
            }
            assertTrue(firstEvents.await(30, TimeUnit.SECONDS), "a stream never delivered its first event");
            assertTrue(reportedOn.stream().allMatch(name -> name.startsWith("kiln-grpc-callback-")),
                    "events reported on " + reportedOn);
        } finally {
            for (AutoCloseable stream : streams) {
                stream.close();
            }
        }
    }

    @Test
    void mutualTlsWithTheSecretsDecodedAgainSharesOneChannel() throws Exception {
        TlsMachineServer node = serve(HOST, 0, CONFIGURED, CLUSTER.os());

        assertEquals("v1.0.0", versionOf(node.address(), new NodeCredentials.ClusterAdmin(CLUSTER)));
        SecretsBundle decodedAgain = SecretsBundle.fromYaml(CLUSTER.toYaml());
        assertEquals("v1.0.0", versionOf(node.address(), new NodeCredentials.ClusterAdmin(decodedAgain)));

        assertEquals(1, node.connections());
        assertEquals(1, channels.opened());
    }

    @Test
    void adminAndBackupRolesUseSeparateChannels() throws Exception {
        TlsMachineServer node = serve(HOST, 0, CONFIGURED, CLUSTER.os());

        versionOf(node.address(), new NodeCredentials.ClusterAdmin(CLUSTER));
        versionOf(node.address(), new NodeCredentials.EtcdBackup(CLUSTER));

        assertEquals(2, node.connections());
        assertEquals(2, channels.size());
    }

    @Test
    void anotherClusterCaGivesAnotherChannelKey() {
        NodeAddress node = NodeAddress.parse(HOST + ":50000");

        assertEquals(GrpcNodeConnector.channelKey(node, new NodeCredentials.ClusterAdmin(CLUSTER)),
                GrpcNodeConnector.channelKey(node,
                        new NodeCredentials.ClusterAdmin(SecretsBundle.fromYaml(CLUSTER.toYaml()))));
        assertNotEquals(GrpcNodeConnector.channelKey(node, new NodeCredentials.ClusterAdmin(CLUSTER)),
                GrpcNodeConnector.channelKey(node, new NodeCredentials.ClusterAdmin(SecretsBundle.generate())));
    }

    @Test
    void aNodeRestartedOnTheSameAddressTakesTheNextUnretriedCallAfterOneFailure() throws Exception {
        TlsMachineServer node = serve(HOST, 0, CONFIGURED, CLUSTER.os());
        NodeCredentials admin = new NodeCredentials.ClusterAdmin(CLUSTER);
        versionOf(node.address(), admin);

        node.stop();
        NodeApiException down = assertThrows(NodeApiException.class, () -> versionOf(node.address(), admin));
        assertEquals(NodeApiException.Kind.UNAVAILABLE, down.kind());
        TlsMachineServer back = serve(HOST, node.port(), CONFIGURED, CLUSTER.os());

        try (NodeApi api = connector.connect(back.address(), admin)) {
            api.applyConfiguration("machine: {}".getBytes(StandardCharsets.UTF_8));
        }
        assertEquals(1, back.configurationsApplied());
        assertEquals(2, channels.opened());
    }

    @Test
    void aNodeBackWithAnotherCertificateIsRefusedThroughTheOldPin() throws Exception {
        TlsMachineServer node = serve(HOST, 0, MAINTENANCE, null);
        versionOf(node.address(), pinned(MAINTENANCE));

        node.stop();
        TlsMachineServer reset = serve(HOST, node.port(), MAINTENANCE_AFTER_RESET, null);

        assertThrows(NodeApiException.class, () -> versionOf(reset.address(), pinned(MAINTENANCE)));
        assertThrows(NodeApiException.class, () -> versionOf(reset.address(), pinned(MAINTENANCE)));
        assertEquals("v1.0.0", versionOf(reset.address(), pinned(MAINTENANCE_AFTER_RESET)));
    }

    @Test
    void aNodeBackOutsideTheClusterCaIsRefusedThroughTheAdminChannel() throws Exception {
        TlsMachineServer node = serve(HOST, 0, CONFIGURED, CLUSTER.os());
        NodeCredentials admin = new NodeCredentials.ClusterAdmin(CLUSTER);
        versionOf(node.address(), admin);

        node.stop();
        TlsMachineServer reset = serve(HOST, node.port(), MAINTENANCE, null);

        assertThrows(NodeApiException.class, () -> versionOf(reset.address(), admin));
        assertThrows(NodeApiException.class, () -> versionOf(reset.address(), admin));
    }

    @Test
    void aChannelIdleLongerThanTheIdleTimeoutIsClosed() throws Exception {
        connector.close();
        channels = new NodeChannels(Duration.ofSeconds(1), NodeChannels.MAX_CHANNELS);
        connector = new GrpcNodeConnector(DEADLINE, channels, contexts);
        TlsMachineServer node = serve(HOST, 0, MAINTENANCE, null);
        versionOf(node.address(), pinned(MAINTENANCE));

        eventually("the idle channel's connection to close", () -> node.closedConnections() == 1);
        channels.evictIdle();

        assertEquals(0, channels.size());
    }

    @Test
    void closingTheConnectorClosesEveryChannel() throws Exception {
        TlsMachineServer first = serve(HOST, 0, MAINTENANCE, null);
        TlsMachineServer second = serve(OTHER_HOST, 0, CONFIGURED, CLUSTER.os());
        versionOf(first.address(), pinned(MAINTENANCE));
        versionOf(second.address(), new NodeCredentials.ClusterAdmin(CLUSTER));

        connector.close();

        eventually("both connections to close",
                () -> first.closedConnections() == 1 && second.closedConnections() == 1);
        assertEquals(0, channels.size());
        assertThrows(IllegalStateException.class, () -> versionOf(first.address(), pinned(MAINTENANCE)));
    }

    @Test
    void concurrentCallsFromManyThreadsShareOneChannel() throws Exception {
        TlsMachineServer node = serve(HOST, 0, CONFIGURED, CLUSTER.os());
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> calls = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                calls.add(threads.submit(() -> versionOf(node.address(),
                        new NodeCredentials.ClusterAdmin(SecretsBundle.fromYaml(CLUSTER.toYaml())))));
            }
            for (Future<String> call : calls) {
                assertEquals("v1.0.0", call.get(60, TimeUnit.SECONDS));
            }
        } finally {
            threads.shutdownNow();
        }

        assertEquals(1, node.connections());
        assertEquals(1, channels.opened());
    }
}
