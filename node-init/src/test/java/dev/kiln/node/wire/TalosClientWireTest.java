package dev.kiln.node.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.kiln.machinery.clientconfig.KilnContext;
import dev.kiln.machinery.config.MachineType;
import dev.kiln.machinery.pki.Role;
import dev.kiln.node.testing.NodeProcess;
import dev.kiln.node.testing.RawCalls;
import dev.kiln.node.testing.TestCluster;
import dev.kiln.node.wire.talos.common.Data;
import dev.kiln.node.wire.talos.common.Metadata;
import dev.kiln.node.wire.talos.machine.ApplyConfiguration;
import dev.kiln.node.wire.talos.machine.ApplyConfigurationRequest;
import dev.kiln.node.wire.talos.machine.ApplyConfigurationResponse;
import dev.kiln.node.wire.talos.machine.BootstrapRequest;
import dev.kiln.node.wire.talos.machine.BootstrapResponse;
import dev.kiln.node.wire.talos.machine.EtcdAlarmDisarmResponse;
import dev.kiln.node.wire.talos.machine.EtcdAlarmListResponse;
import dev.kiln.node.wire.talos.machine.EtcdDefragmentResponse;
import dev.kiln.node.wire.talos.machine.EtcdMemberListRequest;
import dev.kiln.node.wire.talos.machine.EtcdMemberListResponse;
import dev.kiln.node.wire.talos.machine.EtcdMemberStatus;
import dev.kiln.node.wire.talos.machine.EtcdSnapshotRequest;
import dev.kiln.node.wire.talos.machine.EtcdStatusResponse;
import dev.kiln.node.wire.talos.machine.Event;
import dev.kiln.node.wire.talos.machine.EventsRequest;
import dev.kiln.node.wire.talos.machine.HostnameResponse;
import dev.kiln.node.wire.talos.machine.LogsRequest;
import dev.kiln.node.wire.talos.machine.MachineStatusEvent;
import dev.kiln.node.wire.talos.machine.RebootRequest;
import dev.kiln.node.wire.talos.machine.RebootResponse;
import dev.kiln.node.wire.talos.machine.ServiceListResponse;
import dev.kiln.node.wire.talos.machine.ServiceStateEvent;
import dev.kiln.node.wire.talos.machine.VersionResponse;
import io.grpc.ManagedChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Talos client's view of a real node: requests are built from Talos's schema and every reply and event is decoded
 * with it from the bytes the node sent. Any field Talos does not have, other than Kiln's 10001+ extensions, any enum
 * value Talos does not have, and any event type URL Talos's client would drop fails the build.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TalosClientWireTest {

    private static final String SERVICE = "machine.MachineService/";
    private static final byte[] EMPTY = new byte[0];
    /** How Talos spells service states in ServiceInfo.state; its health check waits for "Running". */
    private static final Set<String> TALOS_SERVICE_STATES = Set.of("Initialized", "Preparing", "Waiting", "Running",
            "Stopping", "Finished", "Failed", "Skipped", "Starting");

    private final WireDrift drift = WireDrift.allowingExtensionsOf(
            dev.kiln.machinery.api.machine.Machine.getDescriptor(),
            dev.kiln.machinery.api.common.Common.getDescriptor());
    private TestCluster cluster;
    private NodeProcess node;
    private String config;
    private ManagedChannel admin;

    @BeforeAll
    void startAMaintenanceNode(@TempDir Path work) throws Exception {
        cluster = new TestCluster("127.0.85", work);
        node = cluster.startNode(1);
        config = cluster.config(MachineType.CONTROLPLANE, cluster.etcdPeers(1));
    }

    @AfterAll
    void stop() throws Exception {
        if (admin != null) {
            admin.shutdownNow();
        }
        cluster.close();
    }

    @Test
    @Order(1)
    void aMaintenanceApplyAnswersWithTheModeItAppliedInTalosShape() throws Exception {
        node.awaitFingerprint(Duration.ofSeconds(30));
        int bootsBefore = node.boots();
        ManagedChannel maintenance = RawCalls.channel(node, Optional.empty(), Optional.empty(), Optional.empty());
        ApplyConfigurationResponse reply;
        try {
            reply = decode(ApplyConfigurationResponse.parser(), RawCalls.unaryBytes(maintenance,
                    SERVICE + "ApplyConfiguration", ApplyConfigurationRequest.newBuilder()
                            .setData(ByteString.copyFrom(config, StandardCharsets.UTF_8))
                            .setMode(ApplyConfigurationRequest.Mode.AUTO).build().toByteArray()));
        } finally {
            maintenance.shutdownNow();
        }

        ApplyConfiguration applied = reply.getMessages(0);
        assertEquals(ApplyConfigurationRequest.Mode.REBOOT, applied.getMode(), applied.toString());
        assertFalse(applied.getModeDetails().isEmpty(), applied.toString());
        cluster.awaitConfiguredMode(node, bootsBefore);
        KilnContext client = KilnContext.forClient(cluster.secrets().os(), "talos-wire", Set.of(Role.ADMIN),
                List.of(node.address()));
        admin = RawCalls.channel(node, Optional.of(client.ca()), Optional.of(client.crt()), Optional.of(client.key()));
    }

    @Test
    @Order(2)
    void versionHostnameAndServiceListDecodeWithOnlyKilnsExtensions() throws Exception {
        VersionResponse version = decode(VersionResponse.parser(), call("Version", EMPTY));
        HostnameResponse hostname = decode(HostnameResponse.parser(), call("Hostname", EMPTY));
        ServiceListResponse services = decode(ServiceListResponse.parser(), call("ServiceList", EMPTY));

        assertAnsweredByTheNode(version.getMessages(0).getMetadata());
        assertAnsweredByTheNode(hostname.getMessages(0).getMetadata());
        assertAnsweredByTheNode(services.getMessages(0).getMetadata());
        assertTrue(version.getMessages(0).getVersion().getUnknownFields().hasField(10001),
                "Kiln's running version arrives as extension 10001");
        assertFalse(services.getMessages(0).getServicesList().isEmpty());
        for (var service : services.getMessages(0).getServicesList()) {
            assertTrue(TALOS_SERVICE_STATES.contains(service.getState()), service.getId() + ": " + service.getState());
            service.getEvents().getEventsList().forEach(event -> assertTrue(
                    TALOS_SERVICE_STATES.contains(event.getState()), service.getId() + " event: " + event.getState()));
        }
    }

    @Test
    @Order(3)
    void etcdRepliesDecodeAndTheStatusNamesItsStorageVersion() throws Exception {
        decode(BootstrapResponse.parser(), call("Bootstrap", BootstrapRequest.getDefaultInstance().toByteArray()));
        cluster.awaitVotingMembers(node, 1);

        EtcdMemberListResponse members = decode(EtcdMemberListResponse.parser(),
                call("EtcdMemberList", EtcdMemberListRequest.getDefaultInstance().toByteArray()));
        EtcdStatusResponse status = decode(EtcdStatusResponse.parser(), call("EtcdStatus", EMPTY));
        decode(EtcdAlarmListResponse.parser(), call("EtcdAlarmList", EMPTY));
        decode(EtcdDefragmentResponse.parser(), call("EtcdDefragment", EMPTY));
        decode(EtcdAlarmDisarmResponse.parser(), call("EtcdAlarmDisarm", EMPTY));

        assertEquals(1, members.getMessages(0).getMembersCount());
        EtcdMemberStatus member = status.getMessages(0).getMemberStatus();
        String[] server = member.getProtocolVersion().split("\\.");
        assertEquals(server[0] + "." + server[1] + ".0", member.getStorageVersion(), member.toString());
        System.out.println("etcd " + member.getProtocolVersion() + " storage_version " + member.getStorageVersion());
    }

    @Test
    @Order(4)
    void snapshotAndLogChunksDecodeAsTalosData() throws Exception {
        List<byte[]> snapshot = RawCalls.streamBytes(admin, SERVICE + "EtcdSnapshot",
                EtcdSnapshotRequest.getDefaultInstance().toByteArray(), received -> !received.isEmpty(),
                Duration.ofSeconds(60));
        List<byte[]> logs = RawCalls.streamBytes(admin, SERVICE + "Logs",
                LogsRequest.newBuilder().setId("etcd").setTailLines(5).build().toByteArray(), received -> false,
                Duration.ofSeconds(60));

        for (byte[] chunk : concat(snapshot, logs)) {
            assertAnsweredByTheNode(decode(Data.parser(), chunk).getMetadata());
        }
        assertFalse(logs.isEmpty(), "etcd has logged");
    }

    @Test
    @Order(5)
    void everyEventCarriesATypeUrlTalosDecodesAndAServiceStartIsStarting() throws Exception {
        List<byte[]> stream = RawCalls.streamBytes(admin, SERVICE + "Events",
                EventsRequest.newBuilder().setTailEvents(-1).build().toByteArray(),
                received -> received.stream().anyMatch(TalosClientWireTest::isServiceStarting), Duration.ofSeconds(60));

        List<String> typeUrls = new ArrayList<>();
        for (byte[] bytes : stream) {
            Event event = decode(Event.parser(), bytes);
            assertAnsweredByTheNode(event.getMetadata());
            typeUrls.add(event.getData().getTypeUrl());
            assertTrue(WireDrift.TALOS_EVENT_TYPE_URLS.contains(event.getData().getTypeUrl()),
                    event.getData().getTypeUrl());
            assertEquals(List.of(), drift.of(payload(event.getData())), event.getData().getTypeUrl());
        }
        assertEquals(Set.of("talos/runtime/machine.ServiceStateEvent", "talos/runtime/machine.MachineStatusEvent"),
                Set.copyOf(typeUrls));
    }

    @Test
    @Order(6)
    void aConfiguredApplyAnswersWithTheModeItApplied() throws Exception {
        ApplyConfiguration same = decode(ApplyConfigurationResponse.parser(), call("ApplyConfiguration",
                apply(ApplyConfigurationRequest.Mode.AUTO, false))).getMessages(0);
        ApplyConfiguration staged = decode(ApplyConfigurationResponse.parser(), call("ApplyConfiguration",
                apply(ApplyConfigurationRequest.Mode.STAGED, true))).getMessages(0);

        assertEquals(ApplyConfigurationRequest.Mode.NO_REBOOT, same.getMode(), same.toString());
        assertEquals(ApplyConfigurationRequest.Mode.STAGED, staged.getMode(), staged.toString());
        assertFalse(same.getModeDetails().isEmpty() || staged.getModeDetails().isEmpty());
        assertAnsweredByTheNode(same.getMetadata());
    }

    @Test
    @Order(7)
    void aForcedRebootIsAcceptedAndTheNodeComesBackConfigured() throws Exception {
        int bootsBefore = node.boots();

        RebootResponse reply = decode(RebootResponse.parser(), call("Reboot",
                RebootRequest.newBuilder().setMode(RebootRequest.Mode.FORCE).build().toByteArray()));

        assertAnsweredByTheNode(reply.getMessages(0).getMetadata());
        cluster.awaitConfiguredMode(node, bootsBefore);
    }

    // ---- helpers

    private byte[] call(String method, byte[] request) {
        return RawCalls.unaryBytes(admin, SERVICE + method, request);
    }

    private byte[] apply(ApplyConfigurationRequest.Mode mode, boolean dryRun) {
        return ApplyConfigurationRequest.newBuilder().setData(ByteString.copyFrom(config, StandardCharsets.UTF_8))
                .setMode(mode).setDryRun(dryRun).build().toByteArray();
    }

    /** Decodes with Talos's schema and fails on any drift. */
    private <T extends Message> T decode(com.google.protobuf.Parser<T> parser, byte[] bytes)
            throws InvalidProtocolBufferException {
        T message = parser.parseFrom(bytes);
        assertEquals(List.of(), drift.of(message), message.getDescriptorForType().getFullName());
        return message;
    }

    private void assertAnsweredByTheNode(Metadata metadata) {
        assertEquals(node.hostname(), metadata.getHostname());
        assertEquals("", metadata.getError());
        assertFalse(metadata.hasStatus(), "a node reports its own failures as the call's status");
    }

    /** As Talos's client decodes an event payload: by the exact type URL of one of its message types. */
    private static Message payload(Any data) throws InvalidProtocolBufferException {
        for (Message type : List.<Message>of(ServiceStateEvent.getDefaultInstance(),
                MachineStatusEvent.getDefaultInstance())) {
            if (data.getTypeUrl().equals("talos/runtime/" + type.getDescriptorForType().getFullName())) {
                return type.getParserForType().parseFrom(data.getValue());
            }
        }
        throw new AssertionError("Talos's client drops an event typed " + data.getTypeUrl());
    }

    /** Lenient on the type URL's prefix so that a wrong one fails on the assertion that names it, not by timeout. */
    private static boolean isServiceStarting(byte[] bytes) {
        try {
            Any data = Event.parseFrom(bytes).getData();
            return data.getTypeUrl().endsWith("/machine.ServiceStateEvent")
                    && ServiceStateEvent.parseFrom(data.getValue()).getAction() == ServiceStateEvent.Action.STARTING;
        } catch (InvalidProtocolBufferException e) {
            return false;
        }
    }

    private static List<byte[]> concat(List<byte[]> first, List<byte[]> second) {
        List<byte[]> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }
}
