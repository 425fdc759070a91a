package dev.kiln.node.api;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.machinery.api.machine.ApplyConfigurationRequest.Mode;
import dev.kiln.machinery.api.machine.Event;
import dev.kiln.machinery.client.ClientCredentials;
import dev.kiln.machinery.client.MachineApiException;
import dev.kiln.machinery.client.MachineClient;
import dev.kiln.machinery.client.RetryPolicy;
import dev.kiln.machinery.client.ServerStream;
import dev.kiln.machinery.clientconfig.KilnContext;
import dev.kiln.machinery.config.MachineType;
import dev.kiln.machinery.pki.Role;
import dev.kiln.node.testing.Await;
import dev.kiln.node.testing.NodeProcess;
import dev.kiln.node.testing.TestCluster;
import io.grpc.Status;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** Hostile sizes, streams, ids and uploads against real node-init processes: each is refused and leaves nothing. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MachineApiLimitsTest {

    private static final Duration BOOT_WITHIN = Duration.ofSeconds(90);
    private static final int FOLLOW_STREAM_CAP = 32;
    private static final int CONFIG_BOUND = 1024 * 1024;
    private static final int MESSAGE_BOUND = 2 * 1024 * 1024;
    private static final int CALLS_PER_CONNECTION = 64;

    private TestCluster cluster;
    private NodeProcess maintenance;
    private NodeProcess controlPlane;

    @BeforeAll
    void startNodes(@TempDir Path work) throws Exception {
        cluster = new TestCluster("127.0.70", work);
        maintenance = cluster.startNode(1);
        controlPlane = cluster.startNode(2);
        cluster.configureAll(Map.of(controlPlane, cluster.config(MachineType.CONTROLPLANE, cluster.etcdPeers(1))));
        maintenance.awaitFingerprint(BOOT_WITHIN);
    }

    @AfterAll
    void stopNodes() throws Exception {
        cluster.close();
    }

    private static MachineClient withoutCertificate(NodeProcess node, Duration deadline) {
        return MachineClient.connect(TestCluster.nodeAddress(node), ClientCredentials.Maintenance.unpinned(), deadline,
                RetryPolicy.none());
    }

    private static MachineApiException refusal(Runnable call) {
        return assertThrows(MachineApiException.class, call::run);
    }

    private static <T> MachineApiException streamRefusal(Supplier<ServerStream<T>> open) {
        return assertThrows(MachineApiException.class, () -> {
            try (ServerStream<T> stream = open.get()) {
                stream.hasNext();
            }
        });
    }

    private byte[] workerConfig() {
        return cluster.config(MachineType.WORKER, List.of()).getBytes(StandardCharsets.UTF_8);
    }

    // ---- ApplyConfiguration size and cancellation

    @Test
    @Order(1)
    void aConfigOverTheOneMebibyteBoundIsRefusedNamingTheBound() {
        byte[] oversized = Arrays.copyOf(workerConfig(), CONFIG_BOUND + 1);
        Arrays.fill(oversized, workerConfig().length, oversized.length, (byte) '#');

        try (MachineClient client = withoutCertificate(maintenance, Duration.ofSeconds(30))) {
            MachineApiException refused = refusal(() -> client.applyConfiguration(oversized, Mode.AUTO, true, null));

            assertEquals(Status.Code.INVALID_ARGUMENT, refused.code(), refused.getMessage());
            assertTrue(refused.status().getDescription().contains("1048576"), refused.getMessage());
        }
    }

    @Test
    @Order(2)
    void aThirtyTwoMegabyteConfigIsRefusedBeforeParsingAndTheNodeStaysUp() throws Exception {
        byte[] huge = new byte[32_000_000];
        Arrays.fill(huge, (byte) 'a');

        try (MachineClient client = withoutCertificate(maintenance, Duration.ofSeconds(30))) {
            MachineApiException refused = refusal(() -> client.applyConfiguration(huge, Mode.AUTO, true, null));

            assertEquals(Status.Code.RESOURCE_EXHAUSTED, refused.code(), refused.getMessage());
            assertTrue(refused.getMessage().contains(String.valueOf(MESSAGE_BOUND)), refused.getMessage());
            assertEquals("maintenance", client.version().getPlatform().getMode());
        }
        assertFalse(maintenance.consoleText().contains("OutOfMemoryError"), "node ran out of memory");
    }

    @Test
    @Order(3)
    void anApplyWhoseCallerGaveUpLeavesTheLockFreeForTheVeryNextApply() {
        byte[] large = new byte[16_000_000];
        Arrays.fill(large, (byte) 'a');
        try (MachineClient impatient = withoutCertificate(maintenance, Duration.ofMillis(1500))) {
            refusal(() -> impatient.applyConfiguration(large, Mode.AUTO, true, null));
        }

        try (MachineClient next = withoutCertificate(maintenance, Duration.ofSeconds(30))) {
            assertEquals(Mode.REBOOT, next.applyConfiguration(workerConfig(), Mode.AUTO, true, null).getMode());
        }
    }

    // ---- maintenance mode serves only what Talos serves there

    @Test
    @Order(4)
    void aMaintenanceNodeRefusesEventsLogsServicesAndHostnameWithoutACertificate() {
        try (MachineClient client = withoutCertificate(maintenance, Duration.ofSeconds(10))) {
            assertAll(
                    () -> assertEquals(Status.Code.PERMISSION_DENIED, streamRefusal(() -> client.events(10)).code()),
                    () -> assertEquals(Status.Code.PERMISSION_DENIED,
                            streamRefusal(() -> client.logs("etcd", true, 10)).code()),
                    () -> assertEquals(Status.Code.PERMISSION_DENIED, refusal(client::serviceList).code()),
                    () -> assertEquals(Status.Code.PERMISSION_DENIED, refusal(client::hostname).code()),
                    () -> assertEquals("maintenance", client.version().getPlatform().getMode()));
        }
    }

    // ---- roles on a configured node

    @Test
    @Order(5)
    void anEtcdBackupCertificateMayNotReadLogsEventsServicesVersionOrHostname() {
        try (MachineClient backup = cluster.client(controlPlane, Set.of(Role.ETCD_BACKUP))) {
            assertAll(
                    () -> assertEquals(Status.Code.PERMISSION_DENIED, streamRefusal(() -> backup.events(1)).code()),
                    () -> assertEquals(Status.Code.PERMISSION_DENIED,
                            streamRefusal(() -> backup.logs("etcd", false, 1)).code()),
                    () -> assertEquals(Status.Code.PERMISSION_DENIED, refusal(backup::serviceList).code()),
                    () -> assertEquals(Status.Code.PERMISSION_DENIED, refusal(backup::version).code()),
                    () -> assertEquals(Status.Code.PERMISSION_DENIED, refusal(backup::hostname).code()));
        }
    }

    // ---- follow streams

    @Test
    @Order(6)
    void followStreamsBeyondTheCapAreRefusedAndDoNotEachHoldAThread() throws Exception {
        int extra = 8;
        int threadsBefore = controlPlane.threadCount();
        List<ServerStream<Event>> open = new ArrayList<>();
        List<MachineApiException> refused = new ArrayList<>();
        try (MachineClient admin = cluster.admin(controlPlane)) {
            try {
                for (int i = 0; i < FOLLOW_STREAM_CAP + extra; i++) {
                    ServerStream<Event> stream = admin.events(1);
                    try {
                        stream.next();
                        open.add(stream);
                    } catch (MachineApiException e) {
                        refused.add(e);
                        stream.close();
                    }
                }
                int threadsWhileFollowing = controlPlane.threadCount();

                assertEquals(extra, refused.size(), "streams refused beyond the cap");
                assertAll(refused.stream().map(e -> () -> {
                    assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.code(), e.getMessage());
                    assertTrue(e.status().getDescription().contains(String.valueOf(FOLLOW_STREAM_CAP)),
                            e.getMessage());
                }));
                assertTrue(threadsWhileFollowing < threadsBefore + FOLLOW_STREAM_CAP / 2,
                        "threads before " + threadsBefore + ", while following " + threadsWhileFollowing);
            } finally {
                open.forEach(ServerStream::close);
            }

            Await.condition("a follow stream is served again once the others closed", Duration.ofSeconds(30),
                    () -> {
                        try (ServerStream<Event> again = admin.events(1)) {
                            again.next();
                            return true;
                        } catch (MachineApiException e) {
                            if (e.code() == Status.Code.RESOURCE_EXHAUSTED) {
                                return false;
                            }
                            throw e;
                        }
                    });
        }
    }

    // ---- calls per connection

    @Test
    @Order(7)
    void callsBeyondTheCapOnOneConnectionWaitForASlotWhileOtherConnectionsAreServed() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        InputStream held = new InputStream() {
            @Override
            public int read() {
                return read(new byte[1], 0, 1);
            }

            @Override
            public int read(byte[] b, int off, int len) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return -1;
            }
        };
        ExecutorService uploads = Executors.newFixedThreadPool(CALLS_PER_CONNECTION);
        try (MachineClient crowded = adminWithoutRetries(Duration.ofSeconds(120));
                MachineClient other = adminWithoutRetries(Duration.ofSeconds(10))) {
            crowded.version();
            for (int i = 0; i < CALLS_PER_CONNECTION; i++) {
                // Each upload keeps its call open until released, as a slow client would.
                uploads.submit(() -> crowded.etcdRecover(held));
            }

            Await.condition("a call beyond the cap waits on the crowded connection", Duration.ofSeconds(60), () -> {
                try {
                    crowded.withDeadline(Duration.ofSeconds(2)).version();
                    return false;
                } catch (MachineApiException e) {
                    if (e.code() != Status.Code.DEADLINE_EXCEEDED) {
                        throw e;
                    }
                    return true;
                }
            });
            assertEquals("node-2", other.hostname(), "another connection is served meanwhile");

            release.countDown();
            Await.condition("the crowded connection is served once its calls end", Duration.ofSeconds(60), () -> {
                try {
                    return crowded.withDeadline(Duration.ofSeconds(5)).hostname().equals("node-2");
                } catch (MachineApiException e) {
                    return false;
                }
            });
        } finally {
            release.countDown();
            uploads.shutdownNow();
        }
    }

    private MachineClient adminWithoutRetries(Duration deadline) {
        KilnContext admin = KilnContext.forClient(cluster.secrets().os(), "limits", Set.of(Role.ADMIN),
                List.of(controlPlane.address()));
        return MachineClient.connect(TestCluster.nodeAddress(controlPlane),
                new ClientCredentials.MutualTls(admin.ca(), admin.crt(), admin.key()), deadline, RetryPolicy.none());
    }

    // ---- ids and errors

    @Test
    @Order(8)
    void aHundredKilobyteLogsIdIsRefusedWithoutBeingEchoed() {
        String id = "x".repeat(100_000);

        try (MachineClient admin = cluster.admin(controlPlane)) {
            MachineApiException refused = streamRefusal(() -> admin.logs(id, false, 10));

            assertEquals(Status.Code.INVALID_ARGUMENT, refused.code(), refused.getMessage());
            assertTrue(refused.status().getDescription().length() <= 256, refused.getMessage());
        }
    }

    // ---- EtcdRecover uploads

    @Test
    @Order(9)
    void anUploadThatIsNotAnEtcdSnapshotIsRefusedAndLeavesNoFile() throws Exception {
        byte[] garbage = new byte[64 * 1024];
        Arrays.fill(garbage, (byte) 7);

        try (MachineClient admin = cluster.admin(controlPlane)) {
            MachineApiException refused = refusal(() -> admin.etcdRecover(new ByteArrayInputStream(garbage)));

            assertEquals(Status.Code.INVALID_ARGUMENT, refused.code(), refused.getMessage());
            assertFalse(refused.getMessage().contains(controlPlane.root().toString()), refused.getMessage());
        }
        assertEquals(List.of(), recoverFiles());
    }

    @Test
    @Order(10)
    void aStagedRecoverSnapshotIsReadableOnlyByItsOwnerAndStaysUnderTheRoot() throws Exception {
        try (MachineClient admin = cluster.admin(controlPlane)) {
            admin.etcdRecover(new ByteArrayInputStream(corruptDatabaseWithValidHeaderAndHash()));
        }

        List<Path> staged = recoverFiles();
        assertEquals(1, staged.size(), staged.toString());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(staged.get(0))));
    }

    @Test
    @Order(11)
    void aFailedRecoverReturnsNoPanicOrPathAndLeavesNoFiles() throws Exception {
        try (MachineClient admin = cluster.admin(controlPlane)) {
            MachineApiException refused = refusal(() -> admin.bootstrap(true, false));

            String description = refused.status().getDescription();
            assertAll(
                    () -> assertFalse(description.contains("panic"), description),
                    () -> assertFalse(description.contains("goroutine"), description),
                    () -> assertFalse(description.contains(controlPlane.root().toString()), description),
                    () -> assertTrue(description.length() <= 256, description));
        }
        assertEquals(List.of(), recoverFiles());
    }

    /** Every file an EtcdRecover or a restore may leave: under the node's root and in the system temp directory. */
    private List<Path> recoverFiles() throws IOException {
        List<Path> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(controlPlane.root())) {
            files.filter(p -> p.getFileName().toString().contains("recover")
                    || p.getFileName().toString().contains("restore")).forEach(found::add);
        }
        try (Stream<Path> temp = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            temp.filter(p -> p.getFileName().toString().startsWith("kiln-etcd-upload")).forEach(found::add);
        }
        return found;
    }

    /** Four bbolt pages whose first carries the meta magic, followed by the sha256 etcd appends to a snapshot. */
    private static byte[] corruptDatabaseWithValidHeaderAndHash() throws Exception {
        int pageSize = 4096;
        ByteBuffer pages = ByteBuffer.allocate(4 * pageSize).order(ByteOrder.LITTLE_ENDIAN);
        pages.putShort(8, (short) 0x04);
        pages.putInt(16, 0xED0CDAED);
        pages.putInt(20, 2);
        pages.putInt(24, pageSize);
        Arrays.fill(pages.array(), 64, 4 * pageSize, (byte) 0x5a);
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(pages.array());
        byte[] snapshot = Arrays.copyOf(pages.array(), pages.capacity() + hash.length);
        System.arraycopy(hash, 0, snapshot, pages.capacity(), hash.length);
        return snapshot;
    }
}
