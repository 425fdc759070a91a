package dev.kiln.node.api;

import dev.kiln.machinery.api.access.AccessPolicy;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.machinery.api.machine.ApplyConfiguration;
import dev.kiln.machinery.api.machine.ApplyConfigurationRequest.Mode;
import dev.kiln.machinery.api.machine.MachineServiceGrpc;
import dev.kiln.machinery.client.ClientCredentials;
import dev.kiln.machinery.client.EtcdSnapshotResult;
import dev.kiln.machinery.client.MachineApiException;
import dev.kiln.machinery.client.MachineClient;
import dev.kiln.machinery.client.RetryPolicy;
import dev.kiln.machinery.clientconfig.KilnContext;
import dev.kiln.machinery.config.MachineType;
import dev.kiln.machinery.pki.CertificateAuthority;
import dev.kiln.machinery.pki.Role;
import dev.kiln.node.testing.Await;
import dev.kiln.node.testing.EtcdKeys;
import dev.kiln.node.testing.NodeProcess;
import dev.kiln.node.testing.RawCalls;
import dev.kiln.node.testing.ServerCertificates;
import dev.kiln.node.testing.TestCluster;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Who may call what over real TLS, against node-init processes in configured and maintenance mode. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MachineApiAccessTest {

    private static final Duration BOOT_WITHIN = Duration.ofSeconds(90);

    private TestCluster cluster;
    private NodeProcess controlPlane;
    private NodeProcess rebootedByOperator;
    private NodeProcess shutDownByOperator;
    private NodeProcess maintenance;
    private NodeProcess configuredWithoutCertificate;

    @BeforeAll
    void startNodes(@TempDir Path work) throws Exception {
        cluster = new TestCluster("127.0.31", work);
        controlPlane = cluster.startNode(1);
        rebootedByOperator = cluster.startNode(2);
        shutDownByOperator = cluster.startNode(3);
        maintenance = cluster.startNode(4);
        configuredWithoutCertificate = cluster.startNode(5);
        String workerConfig = cluster.config(MachineType.WORKER, List.of());
        cluster.configureAll(Map.of(
                controlPlane, cluster.config(MachineType.CONTROLPLANE, cluster.etcdPeers(1)),
                rebootedByOperator, workerConfig,
                shutDownByOperator, workerConfig));
        cluster.bootstrap(controlPlane);
        Await.condition("single-member etcd serving", Duration.ofSeconds(60), () -> {
            try (MachineClient admin = cluster.admin(controlPlane)) {
                return admin.etcdMemberList(false).getMembersCount() == 1;
            }
        });
    }

    @AfterAll
    void stopNodes() throws Exception {
        cluster.close();
    }

    private static MachineClient connect(NodeProcess node, ClientCredentials credentials) {
        return MachineClient.connect(TestCluster.nodeAddress(node), credentials, Duration.ofSeconds(10),
                RetryPolicy.none());
    }

    private static MachineClient withoutCertificate(NodeProcess node) {
        return connect(node, ClientCredentials.Maintenance.unpinned());
    }

    private String workerConfig() {
        return cluster.config(MachineType.WORKER, List.of());
    }

    // ---- configured node: who gets through TLS at all

    @Test
    void aConfiguredNodeRejectsACallerWithoutAClientCertificate() {
        try (MachineClient client = withoutCertificate(controlPlane)) {
            MachineApiException refused = assertThrows(MachineApiException.class, client::version);

            assertEquals(Status.Code.UNAVAILABLE, refused.code(), refused.getMessage());
        }
    }

    @Test
    void aConfiguredNodeRejectsACallerWithoutAClientCertificateEvenWhenItsServerCertificateIsPinned()
            throws Exception {
        String fingerprint = ServerCertificates.fingerprint(ServerCertificates.presentedBy(controlPlane));

        try (MachineClient client = connect(controlPlane, ClientCredentials.Maintenance.pinned(fingerprint))) {
            MachineApiException refused = assertThrows(MachineApiException.class, client::version);

            assertEquals(Status.Code.UNAVAILABLE, refused.code(), refused.getMessage());
        }
    }

    @Test
    void aClientCertificateFromAnotherCaIsRejectedEvenWithTheAdminRole() {
        CertificateAuthority otherCa = CertificateAuthority.generate("kiln-os", Duration.ofDays(1));
        KilnContext intruder = KilnContext.forClient(otherCa, "intruder", Set.of(Role.ADMIN), List.of());
        ClientCredentials credentials = new ClientCredentials.MutualTls(cluster.secrets().os().certificatePem(),
                intruder.crt(), intruder.key());

        try (MachineClient client = connect(controlPlane, credentials)) {
            MachineApiException refused = assertThrows(MachineApiException.class, client::version);

            assertEquals(Status.Code.UNAVAILABLE, refused.code(), refused.getMessage());
        }
    }

    // ---- configured node: roles

    /** One call per admin-only method; a refusal must come before the call does anything. */
    enum AdminOnlyCall {
        BOOTSTRAP(client -> client.bootstrap(false, false)),
        RESET(client -> client.reset(false, false, List.of())),
        ETCD_LEAVE_CLUSTER(MachineClient::etcdLeaveCluster),
        ETCD_REMOVE_MEMBER_BY_ID(client -> client.etcdRemoveMemberById(0x1234L)),
        ETCD_FORFEIT_LEADERSHIP(MachineClient::etcdForfeitLeadership),
        ETCD_RECOVER(client -> client.etcdRecover(new ByteArrayInputStream(new byte[4096]))),
        APPLY_CONFIGURATION(client -> client.applyConfiguration(
                "version: v1alpha1\n".getBytes(StandardCharsets.UTF_8), Mode.AUTO, true, null));

        final Consumer<MachineClient> call;

        AdminOnlyCall(Consumer<MachineClient> call) {
            this.call = call;
        }
    }

    static Stream<Arguments> everyNonAdminRoleWithEveryAdminOnlyMethod() {
        List<Arguments> rows = new ArrayList<>();
        for (Role role : List.of(Role.READER, Role.OPERATOR, Role.ETCD_BACKUP)) {
            for (AdminOnlyCall call : AdminOnlyCall.values()) {
                rows.add(Arguments.of(role, call));
            }
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "{0} calling {1}")
    @MethodSource("everyNonAdminRoleWithEveryAdminOnlyMethod")
    void aNonAdminRoleGetsPermissionDeniedOnEveryAdminOnlyMethod(Role role, AdminOnlyCall call) {
        try (MachineClient client = cluster.client(controlPlane, Set.of(role))) {
            MachineApiException refused = assertThrows(MachineApiException.class, () -> call.call.accept(client));

            assertEquals(Status.Code.PERMISSION_DENIED, refused.code(), refused.getMessage());
        }
    }

    @Test
    void aReaderGetsPermissionDeniedOnRebootShutdownAndSnapshot() {
        try (MachineClient reader = cluster.client(controlPlane, Set.of(Role.READER))) {
            assertAll(
                    () -> assertDenied(reader::reboot),
                    () -> assertDenied(reader::shutdown),
                    () -> assertDenied(() -> reader.etcdSnapshot(new ByteArrayOutputStream())));
        }
    }

    private static void assertDenied(Runnable call) {
        MachineApiException refused = assertThrows(MachineApiException.class, call::run);
        assertEquals(Status.Code.PERMISSION_DENIED, refused.code(), refused.getMessage());
    }

    @Test
    void aReaderCanReadVersionHostnameServicesAndEtcdMembers() {
        try (MachineClient reader = cluster.client(controlPlane, Set.of(Role.READER))) {
            assertAll(
                    () -> assertEquals("slot B", reader.version().getPlatform().getMode()),
                    () -> assertEquals("node-1", reader.hostname()),
                    () -> assertTrue(reader.serviceList().stream().anyMatch(s -> s.getId().equals("etcd"))),
                    () -> assertEquals(List.of("node-1"), reader.etcdMemberList(false).getMembersList().stream()
                            .map(member -> member.getHostname()).toList()));
        }
    }

    @Test
    void aSnapshotReportsTheEtcdRevisionItHoldsInAResponseHeader(@TempDir Path scratch) throws Exception {
        Path snapshot = scratch.resolve("etcd.snapshot");
        try (EtcdKeys keys = cluster.etcdKeys(controlPlane)) {
            keys.put("revision-witness", "1");
            keys.put("revision-witness", "2");
        }

        EtcdSnapshotResult result;
        try (MachineClient backup = cluster.client(controlPlane, Set.of(Role.ETCD_BACKUP));
                OutputStream out = Files.newOutputStream(snapshot)) {
            result = backup.etcdSnapshot(out);
        }

        ProcessBuilder status = new ProcessBuilder("/usr/bin/etcdctl", "snapshot", "status", snapshot.toString(),
                "--write-out=json").redirectErrorStream(true);
        status.environment().put("ETCDCTL_API", "3");
        Process process = status.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), output);
        java.util.regex.Matcher revision = java.util.regex.Pattern.compile("\"revision\":(\\d+)").matcher(output);
        assertTrue(revision.find(), output);
        assertTrue(Long.parseLong(revision.group(1)) >= 3, output);
        assertEquals(java.util.OptionalLong.of(Long.parseLong(revision.group(1))), result.etcdRevision());
    }

    @Test
    void anEtcdBackupCertificateMayTakeASnapshotThatEtcdctlRestores(@TempDir Path scratch) throws Exception {
        Path snapshot = scratch.resolve("etcd.snapshot");

        long written;
        try (MachineClient backup = cluster.client(controlPlane, Set.of(Role.ETCD_BACKUP));
                OutputStream out = Files.newOutputStream(snapshot)) {
            written = backup.etcdSnapshot(out).bytes();
        }

        assertTrue(written > 0, "snapshot has bytes");
        assertEquals(written, Files.size(snapshot));
        // Restore checks the sha256 etcd appends, so it fails on a truncated snapshot.
        ProcessBuilder restore = new ProcessBuilder("/usr/bin/etcdctl", "snapshot", "restore", snapshot.toString(),
                "--data-dir=" + scratch.resolve("restored")).redirectErrorStream(true);
        restore.environment().put("ETCDCTL_API", "3");
        Process process = restore.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), output);
        assertTrue(Files.isDirectory(scratch.resolve("restored").resolve("member")), output);
    }

    @Test
    void anOperatorMayRebootANode() throws Exception {
        int boots = rebootedByOperator.boots();

        try (MachineClient operator = cluster.client(rebootedByOperator, Set.of(Role.OPERATOR))) {
            operator.reboot();
        }

        Await.condition("node-2 rebooted and configured", BOOT_WITHIN, () -> {
            if (rebootedByOperator.boots() <= boots) {
                return false;
            }
            try (MachineClient admin = cluster.admin(rebootedByOperator)) {
                return admin.version().getPlatform().getMode().equals("slot B");
            }
        });
    }

    @Test
    void anOperatorMayShutANodeDown() throws Exception {
        int boots = shutDownByOperator.boots();

        try (MachineClient operator = cluster.client(shutDownByOperator, Set.of(Role.OPERATOR))) {
            operator.shutdown();
        }

        Await.condition("node-3 halted with exit code 0", BOOT_WITHIN,
                () -> shutDownByOperator.lastExit().equals(Optional.of(0)));
        assertEquals(boots, shutDownByOperator.boots(), "a halted node is not started again");
        KilnContext admin = KilnContext.forAdmin(cluster.secrets(), List.of());
        try (MachineClient client = connect(shutDownByOperator,
                new ClientCredentials.MutualTls(admin.ca(), admin.crt(), admin.key()))) {
            assertEquals(Status.Code.UNAVAILABLE, assertThrows(MachineApiException.class, client::version).code());
        }
    }

    // ---- every method with every role, in both modes, enumerated from the service descriptor and judged by the
    // ---- Talos role table that AccessPolicyTest states

    /** Methods that change nothing when an allowed caller sends them an empty request, so the sweep makes them. */
    private static final Set<String> HARMLESS_WITH_AN_EMPTY_REQUEST = Set.of("Version", "Hostname", "ServiceList",
            "Logs", "Events", "EtcdMemberList", "EtcdStatus", "EtcdAlarmList", "EtcdSnapshot", "ApplyConfiguration",
            "EtcdRecover");

    private final Map<String, ManagedChannel> sweepChannels = new ConcurrentHashMap<>();

    static Stream<Arguments> configuredSweep() {
        List<Arguments> rows = new ArrayList<>();
        for (MethodDescriptor<?, ?> method : MachineServiceGrpc.getServiceDescriptor().getMethods()) {
            for (Role role : Role.values()) {
                boolean allowed = AccessPolicyTest.TALOS_TABLE.get(method.getBareMethodName()).contains(role);
                if (!allowed || HARMLESS_WITH_AN_EMPTY_REQUEST.contains(method.getBareMethodName())) {
                    rows.add(Arguments.of(method.getBareMethodName(), role, allowed));
                }
            }
        }
        return rows.stream();
    }

    static Stream<Arguments> maintenanceSweep() {
        List<Arguments> rows = new ArrayList<>();
        for (MethodDescriptor<?, ?> method : MachineServiceGrpc.getServiceDescriptor().getMethods()) {
            for (Optional<Role> role : Stream.concat(Stream.of(Optional.<Role>empty()),
                    Stream.of(Role.values()).map(Optional::of)).toList()) {
                rows.add(Arguments.of(method.getBareMethodName(), role.map(Role::organization).orElse("no certificate"),
                        AccessPolicyTest.OPEN_IN_MAINTENANCE.contains(method.getBareMethodName())));
            }
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "configured: {1} calling {0} is allowed: {2}")
    @MethodSource("configuredSweep")
    void aConfiguredNodeDeniesExactlyWhatTheRoleTableDenies(String method, Role role, boolean allowed)
            throws Exception {
        ManagedChannel channel = sweepChannels.computeIfAbsent("configured " + role.organization(), key -> {
            KilnContext client = KilnContext.forClient(cluster.secrets().os(), "sweep", Set.of(role),
                    List.of(controlPlane.address()));
            return RawCalls.channel(controlPlane, Optional.of(client.ca()), Optional.of(client.crt()),
                    Optional.of(client.key()));
        });

        Status.Code answer = RawCalls.withAnEmptyRequest(channel, method);

        assertEquals(allowed, answer != Status.Code.PERMISSION_DENIED, method + " answered " + answer);
    }

    @ParameterizedTest(name = "maintenance: {1} calling {0} is allowed: {2}")
    @MethodSource("maintenanceSweep")
    void aMaintenanceNodeServesOnlyApplyConfigurationAndVersionWhateverCertificateIsOffered(String method,
            String offered, boolean allowed) throws Exception {
        maintenance.awaitFingerprint(BOOT_WITHIN);
        ManagedChannel channel = sweepChannels.computeIfAbsent("maintenance " + offered, key -> {
            Optional<KilnContext> client = Stream.of(Role.values()).filter(r -> r.organization().equals(offered))
                    .findFirst().map(role -> KilnContext.forClient(cluster.secrets().os(), "sweep", Set.of(role),
                            List.of(maintenance.address())));
            return RawCalls.channel(maintenance, Optional.empty(), client.map(KilnContext::crt),
                    client.map(KilnContext::key));
        });

        Status.Code answer = RawCalls.withAnEmptyRequest(channel, method);

        assertEquals(allowed, answer != Status.Code.PERMISSION_DENIED, method + " answered " + answer);
    }

    @AfterAll
    void closeSweepChannels() {
        sweepChannels.values().forEach(ManagedChannel::shutdownNow);
    }

    // ---- maintenance mode

    @Test
    void aMaintenanceNodeAnswersVersionWithoutACertificate() throws Exception {
        maintenance.awaitFingerprint(BOOT_WITHIN);

        try (MachineClient client = withoutCertificate(maintenance)) {
            assertEquals("maintenance", client.version().getPlatform().getMode());
        }
    }

    @Test
    void aMaintenanceNodeIsNotCalledUnderAWrongPinnedFingerprint() throws Exception {
        maintenance.awaitFingerprint(BOOT_WITHIN);

        try (MachineClient client = connect(maintenance, ClientCredentials.Maintenance.pinned("00".repeat(32)))) {
            MachineApiException refused = assertThrows(MachineApiException.class, client::version);

            assertEquals(Status.Code.UNAVAILABLE, refused.code(), refused.getMessage());
        }
    }

    @ParameterizedTest
    @EnumSource(value = AdminOnlyCall.class, names = "APPLY_CONFIGURATION", mode = EnumSource.Mode.EXCLUDE)
    void aMaintenanceNodeRefusesEveryAdminOnlyMethodButApplyConfigurationAsPermissionDenied(AdminOnlyCall call)
            throws Exception {
        maintenance.awaitFingerprint(BOOT_WITHIN);

        try (MachineClient client = withoutCertificate(maintenance)) {
            MachineApiException refused = assertThrows(MachineApiException.class, () -> call.call.accept(client));

            assertEquals(Status.Code.PERMISSION_DENIED, refused.code(), refused.getMessage());
        }
    }

    @Test
    void aMaintenanceNodeRefusesRebootAndEtcdReadsAsPermissionDenied() throws Exception {
        maintenance.awaitFingerprint(BOOT_WITHIN);

        try (MachineClient client = withoutCertificate(maintenance)) {
            assertAll(
                    () -> assertDenied(client::reboot),
                    () -> assertDenied(client::shutdown),
                    () -> assertDenied(() -> client.etcdMemberList(false)),
                    () -> assertDenied(() -> client.etcdSnapshot(new ByteArrayOutputStream())));
        }
    }

    @Test
    void aMaintenanceNodeRunsOneApplyConfigurationAtATimeAndAbortsAnOverlappingOne() throws Exception {
        maintenance.awaitFingerprint(BOOT_WITHIN);
        byte[] config = workerConfig().getBytes(StandardCharsets.UTF_8);
        int callers = 8;
        List<MachineClient> clients = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        List<MachineApiException> refusals = new ArrayList<>();
        try {
            for (int i = 0; i < callers; i++) {
                MachineClient client = withoutCertificate(maintenance);
                client.version();
                clients.add(client);
            }
            // Dry runs take the same lock as real applies but leave the node in maintenance for the next round.
            Await.condition("an overlapping ApplyConfiguration aborted", Duration.ofSeconds(60), () -> {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Optional<MachineApiException>>> outcomes = new ArrayList<>();
                for (MachineClient client : clients) {
                    outcomes.add(pool.submit(() -> {
                        start.await();
                        try {
                            ApplyConfiguration answer = client.applyConfiguration(config, Mode.AUTO, true, null);
                            assertEquals(Mode.REBOOT, answer.getMode());
                            return Optional.empty();
                        } catch (MachineApiException e) {
                            return Optional.of(e);
                        }
                    }));
                }
                start.countDown();
                for (Future<Optional<MachineApiException>> outcome : outcomes) {
                    outcome.get().ifPresent(refusals::add);
                }
                return !refusals.isEmpty();
            });
        } finally {
            pool.shutdownNow();
            clients.forEach(MachineClient::close);
        }

        assertAll(refusals.stream().map(refused -> () -> {
            assertEquals(Status.Code.ABORTED, refused.code(), refused.getMessage());
            assertTrue(refused.status().getDescription().contains("another ApplyConfiguration is in progress"));
        }));
        assertFalse(Files.exists(maintenance.root().resolve("STATE").resolve("config.yaml")));
        assertEquals(1, maintenance.boots());
    }

    @Test
    void aMaintenanceNodeAcceptsApplyConfigurationWithoutACertificateAndBootsConfigured() throws Exception {
        configuredWithoutCertificate.awaitFingerprint(BOOT_WITHIN);

        try (MachineClient client = withoutCertificate(configuredWithoutCertificate)) {
            ApplyConfiguration answer = client.applyConfiguration(workerConfig().getBytes(StandardCharsets.UTF_8),
                    Mode.AUTO, false, null);
            assertEquals(Mode.REBOOT, answer.getMode());
        }

        Await.condition("node-5 booted configured", BOOT_WITHIN, () -> {
            if (configuredWithoutCertificate.boots() < 2) {
                return false;
            }
            try (MachineClient admin = cluster.admin(configuredWithoutCertificate)) {
                return admin.version().getPlatform().getMode().equals("slot B");
            }
        });
        assertTrue(Files.exists(configuredWithoutCertificate.root().resolve("STATE").resolve("config.yaml")));
    }
}
