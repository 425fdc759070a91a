package dev.kiln.node.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import dev.kiln.machinery.api.common.Metadata;
import dev.kiln.machinery.api.machine.ApplyConfigurationRequest;
import dev.kiln.machinery.api.machine.ApplyConfigurationResponse;
import dev.kiln.machinery.api.machine.Event;
import dev.kiln.machinery.api.machine.EventsRequest;
import dev.kiln.machinery.api.machine.MachineServiceGrpc;
import dev.kiln.machinery.api.machine.ServiceListResponse;
import dev.kiln.machinery.api.machine.Version;
import dev.kiln.machinery.api.machine.VersionResponse;
import dev.kiln.machinery.clientconfig.KilnConfig;
import dev.kiln.machinery.clientconfig.KilnContext;
import dev.kiln.machinery.config.MachineType;
import dev.kiln.machinery.pki.Role;
import dev.kiln.node.api.proxy.NodeIdentity;
import dev.kiln.node.api.proxy.RelayedRoles;
import dev.kiln.node.testing.KilnctlRun;
import dev.kiln.node.testing.NodeProcess;
import dev.kiln.node.testing.RawCalls;
import dev.kiln.node.testing.TestCluster;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Calls relayed by one node to others named in {@code nodes} metadata, against real node-init processes over real
 * mutual TLS: node 1 is the endpoint, node 2 answers, node 3 is stopped, node 4 is frozen when a test needs a target
 * that does not answer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MachineApiRelayTest {

    private TestCluster cluster;
    private NodeProcess endpoint;
    private NodeProcess answering;
    private NodeProcess stopped;
    private NodeProcess frozen;
    private String workerConfig;
    private Path kilnconfig;
    private final List<ManagedChannel> channels = new ArrayList<>();

    @BeforeAll
    void startNodes(@TempDir Path work) throws Exception {
        cluster = new TestCluster("127.0.87", work);
        endpoint = cluster.startNode(1);
        answering = cluster.startNode(2);
        stopped = cluster.startNode(3);
        frozen = cluster.startNode(4);
        workerConfig = cluster.config(MachineType.WORKER, List.of());
        Map<NodeProcess, String> configs = new LinkedHashMap<>();
        for (NodeProcess node : List.of(endpoint, answering, stopped, frozen)) {
            configs.put(node, workerConfig);
        }
        cluster.configureAll(configs);
        stopped.killWithChildren();
        kilnconfig = Files.writeString(work.resolve("kilnconfig"), KilnConfig.of("test",
                KilnContext.forAdmin(cluster.secrets(), List.of(endpoint.address()))).toYaml());
    }

    @AfterAll
    void stop() throws Exception {
        channels.forEach(ManagedChannel::shutdownNow);
        cluster.close();
    }

    private ManagedChannel channel(NodeProcess node, String certificatePem, String keyPem) {
        ManagedChannel channel = RawCalls.channel(node, Optional.of(cluster.secrets().os().certificatePem()),
                Optional.of(certificatePem), Optional.of(keyPem));
        channels.add(channel);
        return channel;
    }

    private ManagedChannel channelAs(NodeProcess node, Set<Role> roles) {
        KilnContext ctx = KilnContext.forClient(cluster.secrets().os(), "relay-test", roles, List.of(node.address()));
        return channel(node, ctx.crt(), ctx.key());
    }

    private static io.grpc.Metadata headers(Map<String, List<String>> values) {
        io.grpc.Metadata headers = new io.grpc.Metadata();
        values.forEach((name, list) -> list.forEach(value ->
                headers.put(io.grpc.Metadata.Key.of(name, io.grpc.Metadata.ASCII_STRING_MARSHALLER), value)));
        return headers;
    }

    private static MachineServiceGrpc.MachineServiceBlockingStub blocking(ManagedChannel channel,
            Map<String, List<String>> headers, long deadlineSeconds) {
        return MachineServiceGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers(headers)))
                .withDeadlineAfter(deadlineSeconds, TimeUnit.SECONDS);
    }

    private static Map<String, List<String>> nodes(NodeProcess... targets) {
        return Map.of("nodes", List.of(targets).stream().map(NodeProcess::address).toList());
    }

    private static <M> Map<String, M> byHostname(List<M> messages, Function<M, Metadata> metadata) {
        Map<String, M> by = new LinkedHashMap<>();
        messages.forEach(message -> by.put(metadata.apply(message).getHostname(), message));
        return by;
    }

    private ApplyConfigurationRequest dryRun() {
        return ApplyConfigurationRequest.newBuilder().setData(ByteString.copyFrom(workerConfig, StandardCharsets.UTF_8))
                .setMode(ApplyConfigurationRequest.Mode.AUTO).setDryRun(true).build();
    }

    @Test
    void versionThroughOneEndpointIsTwoAnswersAndOneError() {
        VersionResponse reply = blocking(channelAs(endpoint, Set.of(Role.READER)), nodes(endpoint, answering, stopped), 30)
                .version(Empty.getDefaultInstance());

        Map<String, Version> by = byHostname(reply.getMessagesList(), Version::getMetadata);
        assertEquals(List.of(endpoint.address(), answering.address(), stopped.address()), List.copyOf(by.keySet()));
        for (NodeProcess live : List.of(endpoint, answering)) {
            Version version = by.get(live.address());
            assertEquals("", version.getMetadata().getError(), version.toString());
            assertFalse(version.getVersion().getTag().isEmpty(), version.toString());
        }
        Metadata failed = by.get(stopped.address()).getMetadata();
        assertEquals(Status.Code.UNAVAILABLE.value(), failed.getStatus().getCode(), failed.toString());
        assertTrue(failed.getError().startsWith("rpc error: code = Unavailable desc = "), failed.getError());
        assertFalse(by.get(stopped.address()).hasVersion());
    }

    @Test
    void versionCarriesThePidOfEachAnsweringNodeInit() {
        VersionResponse reply = blocking(channelAs(endpoint, Set.of(Role.READER)), nodes(endpoint, answering), 30)
                .version(Empty.getDefaultInstance());

        Map<String, Version> by = byHostname(reply.getMessagesList(), Version::getMetadata);
        assertEquals(endpoint.nodeInitPid(), by.get(endpoint.address()).getVersion().getPid(), reply.toString());
        assertEquals(answering.nodeInitPid(), by.get(answering.address()).getVersion().getPid(), reply.toString());
    }

    @Test
    void serviceListThroughOneEndpointIsTwoAnswersAndOneError() {
        ServiceListResponse reply = blocking(channelAs(endpoint, Set.of(Role.READER)), nodes(answering, stopped, endpoint),
                30).serviceList(Empty.getDefaultInstance());

        Map<String, dev.kiln.machinery.api.machine.ServiceList> by =
                byHostname(reply.getMessagesList(), dev.kiln.machinery.api.machine.ServiceList::getMetadata);
        assertEquals(List.of(answering.address(), stopped.address(), endpoint.address()), List.copyOf(by.keySet()));
        assertTrue(by.get(answering.address()).getServicesList().stream().anyMatch(s -> s.getId().equals("upgrade")),
                by.toString());
        assertTrue(by.get(endpoint.address()).getServicesList().stream().anyMatch(s -> s.getId().equals("upgrade")),
                by.toString());
        assertEquals(Status.Code.UNAVAILABLE.value(), by.get(stopped.address()).getMetadata().getStatus().getCode());
    }

    /** Every event of both live nodes arrives, tagged with its node, and the stopped node is one error event. */
    @Test
    void eventsThroughOneEndpointInterleaveTheLiveStreamsAndReportTheStoppedNode() throws Exception {
        Map<String, List<String>> direct = new LinkedHashMap<>();
        for (NodeProcess live : List.of(endpoint, answering)) {
            direct.put(live.address(), eventIds(blocking(channelAs(live, Set.of(Role.READER)), Map.of(), 30)
                    .events(EventsRequest.newBuilder().setTailEvents(-1).build()), live));
        }
        List<Event> received = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> allSeen = new CompletableFuture<>();
        io.grpc.Context.CancellableContext call = io.grpc.Context.current().withCancellation();
        call.run(() -> MachineServiceGrpc.newStub(channelAs(endpoint, Set.of(Role.READER)))
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers(nodes(endpoint, stopped, answering))))
                .events(EventsRequest.newBuilder().setTailEvents(-1).build(), new StreamObserver<>() {
                    @Override
                    public void onNext(Event event) {
                        received.add(event);
                        if (seenAll(received, direct, stopped.address())) {
                            allSeen.complete(null);
                        }
                    }

                    @Override
                    public void onError(Throwable t) {
                        allSeen.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                        allSeen.completeExceptionally(new AssertionError("the relayed stream ended: " + received));
                    }
                }));
        try {
            allSeen.get(60, TimeUnit.SECONDS);
        } finally {
            call.cancel(null);
        }
        Map<String, List<Event>> byNode = received.stream().collect(Collectors.groupingBy(
                event -> event.getMetadata().getHostname(), LinkedHashMap::new, Collectors.toList()));
        List<Event> failures = byNode.get(stopped.address());
        assertEquals(1, failures.size(), failures.toString());
        assertEquals(Status.Code.UNAVAILABLE.value(), failures.get(0).getMetadata().getStatus().getCode());
        assertEquals("", failures.get(0).getId());
        for (NodeProcess live : List.of(endpoint, answering)) {
            List<String> ids = byNode.get(live.address()).stream().map(Event::getId).toList();
            assertEquals(direct.get(live.address()), ids.subList(0, direct.get(live.address()).size()));
        }
    }

    private static boolean seenAll(List<Event> received, Map<String, List<String>> direct, String failing) {
        boolean failed = received.stream().anyMatch(e -> e.getMetadata().getHostname().equals(failing));
        return failed && direct.entrySet().stream().allMatch(node -> received.stream()
                .filter(e -> e.getMetadata().getHostname().equals(node.getKey()))
                .count() >= node.getValue().size());
    }

    /** The events a node holds now, read directly until the stream follows past the last one retained. */
    private static List<String> eventIds(java.util.Iterator<Event> stream, NodeProcess node) {
        List<String> ids = new ArrayList<>();
        // The node's own log of past events ends with its move to RUNNING; a follow waits after that one.
        while (stream.hasNext()) {
            Event event = stream.next();
            ids.add(event.getId());
            if (event.getData().getTypeUrl().endsWith("MachineStatusEvent") && unpackReady(event)) {
                return ids;
            }
        }
        throw new AssertionError(node.hostname() + ": the event stream ended");
    }

    private static boolean unpackReady(Event event) {
        try {
            return event.getData().unpack(dev.kiln.machinery.api.machine.MachineStatusEvent.class).getStatus().getReady();
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aReaderThroughTheEndpointCannotApplyAConfigToATarget() {
        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () ->
                blocking(channelAs(endpoint, Set.of(Role.READER)), nodes(answering), 30).applyConfiguration(dryRun()));

        assertEquals(Status.Code.PERMISSION_DENIED, refused.getStatus().getCode(), refused.getStatus().toString());
    }

    @Test
    void anAdminThroughTheEndpointAppliesAConfigOnTheTarget() {
        ApplyConfigurationResponse reply = blocking(channelAs(endpoint, Set.of(Role.ADMIN)), nodes(answering), 30)
                .applyConfiguration(dryRun());

        assertEquals(1, reply.getMessagesCount(), reply.toString());
        assertEquals(answering.address(), reply.getMessages(0).getMetadata().getHostname());
        assertEquals("", reply.getMessages(0).getMetadata().getError());
        assertTrue(reply.getMessages(0).getModeDetails().startsWith("dry run: "), reply.toString());
    }

    @Test
    void aTargetAuthorizesARelayedCallByTheRelayedRoles() {
        NodeIdentity identity = NodeIdentity.issue(cluster.secrets().os(), "node-9");
        ManagedChannel asNode = channel(answering, identity.certificatePem(), identity.keyPem());

        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> blocking(asNode,
                Map.of(RelayedRoles.NAME, List.of("os:reader")), 30).applyConfiguration(dryRun()));
        ApplyConfigurationResponse allowed = blocking(asNode, Map.of(RelayedRoles.NAME, List.of("os:admin")), 30)
                .applyConfiguration(dryRun());

        assertEquals(Status.Code.PERMISSION_DENIED, refused.getStatus().getCode());
        assertTrue(refused.getStatus().getDescription().contains("(relayed)"), refused.getStatus().toString());
        assertTrue(allowed.getMessages(0).getModeDetails().startsWith("dry run: "), allowed.toString());
    }

    @Test
    void aNodeIdentityAloneMayCallNothing() {
        NodeIdentity identity = NodeIdentity.issue(cluster.secrets().os(), "node-9");

        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> blocking(
                channel(answering, identity.certificatePem(), identity.keyPem()), Map.of(), 30)
                .version(Empty.getDefaultInstance()));

        assertEquals(Status.Code.PERMISSION_DENIED, refused.getStatus().getCode());
    }

    @Test
    void aClientCertificateCannotStateRelayedRoles() {
        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> blocking(
                channelAs(answering, Set.of(Role.READER)), Map.of(RelayedRoles.NAME, List.of("os:admin")), 30)
                .applyConfiguration(dryRun()));

        assertEquals(Status.Code.PERMISSION_DENIED, refused.getStatus().getCode());
        assertTrue(refused.getStatus().getDescription().startsWith("kiln-proxied-roles is honoured only from a node "
                + "identity certificate"), refused.getStatus().toString());
    }

    @Test
    void aRelayedCallIsNotRelayedAgain() {
        NodeIdentity identity = NodeIdentity.issue(cluster.secrets().os(), "node-9");
        Map<String, List<String>> relayedOnward = Map.of(RelayedRoles.NAME, List.of("os:admin"),
                "nodes", List.of(endpoint.address()));

        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> blocking(
                channel(answering, identity.certificatePem(), identity.keyPem()), relayedOnward, 30)
                .version(Empty.getDefaultInstance()));

        assertEquals(Status.Code.FAILED_PRECONDITION, refused.getStatus().getCode(), refused.getStatus().toString());
    }

    /** The frozen node accepts the connection and never answers; its error still reaches the caller in time. */
    @Test
    void aTargetThatDoesNotAnswerIsAnErrorWithinTheCallersDeadline() throws Exception {
        frozen.freeze();
        VersionResponse reply;
        try {
            reply = blocking(channelAs(endpoint, Set.of(Role.READER)), nodes(answering, frozen), 8)
                    .version(Empty.getDefaultInstance());
        } finally {
            frozen.thaw();
        }

        Map<String, Version> by = byHostname(reply.getMessagesList(), Version::getMetadata);
        assertEquals("", by.get(answering.address()).getMetadata().getError());
        Metadata late = by.get(frozen.address()).getMetadata();
        assertEquals(Status.Code.DEADLINE_EXCEEDED.value(), late.getStatus().getCode(), late.toString());
    }

    @Test
    void kilnctlThroughOneEndpointPrintsOneTableAndEachFailedNode() {
        KilnctlRun run = KilnctlRun.of(Optional.of(kilnconfig), "version", "-e", endpoint.address(),
                "-n", answering.address() + "," + stopped.address() + "," + endpoint.address());

        assertEquals(1, run.exit(), run.out() + run.err());
        List<String> lines = run.out().strip().lines().toList();
        assertEquals("NODE", lines.get(0).split("\\s+")[0]);
        assertEquals(List.of(answering.address() + ":50000", endpoint.address() + ":50000"),
                lines.subList(1, lines.size()).stream().map(line -> line.split("\\s+")[0]).toList(), run.out());
        assertEquals(List.of("error: node " + stopped.address() + ":50000: UNAVAILABLE"),
                run.err().lines().map(line -> line.replaceAll("(UNAVAILABLE).*", "$1")).toList(), run.err());
        assertTrue(run.err().contains("(through " + endpoint.address() + ":50000)"), run.err());
    }

    @Test
    void kilnctlThroughOneEndpointPrintsEachAnsweringNodeAsJson() {
        KilnctlRun run = KilnctlRun.of(Optional.of(kilnconfig), "version", "-o", "json", "-e", endpoint.address(),
                "-n", answering.address() + "," + stopped.address());

        assertEquals(1, run.exit(), run.out() + run.err());
        List<String> documentNodes = new ArrayList<>();
        new com.google.gson.JsonStreamParser(run.out()).forEachRemaining(document ->
                documentNodes.add(document.getAsJsonObject().get("node").getAsString()));
        assertEquals(List.of(answering.address() + ":50000"), documentNodes, run.out());
        assertTrue(run.err().startsWith("error: node " + stopped.address() + ":50000: UNAVAILABLE"), run.err());
    }

    /** logs relays one call per node; each node's failure, whether its own or the endpoint's, is its own line. */
    @Test
    void kilnctlLogsThroughOneEndpointReportEachNodesFailure() {
        KilnctlRun run = KilnctlRun.of(Optional.of(kilnconfig), "logs", "etcd", "-e", endpoint.address(),
                "-n", answering.address() + "," + stopped.address());

        assertEquals(1, run.exit(), run.out() + run.err());
        assertEquals(List.of("error: node " + answering.address() + ":50000: NOT_FOUND: no service etcd (through "
                        + endpoint.address() + ":50000)",
                "error: node " + stopped.address() + ":50000: UNAVAILABLE"),
                run.err().lines().map(line -> line.replaceAll("(UNAVAILABLE).*", "$1")).toList(), run.err());
    }
}
