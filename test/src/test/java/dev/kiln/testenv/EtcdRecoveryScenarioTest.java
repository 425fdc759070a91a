package dev.kiln.testenv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.backupstore.BackupManifest;
import dev.kiln.backupstore.LocalS3;
import dev.kiln.capi.api.common.Condition;
import dev.kiln.capi.api.common.HasConditions;
import dev.kiln.capi.api.controlplane.v1alpha1.KilnControlPlane;
import dev.kiln.capi.api.controlplane.v1alpha1.KilnEtcdBackup;
import dev.kiln.capi.api.controlplane.v1alpha1.KilnEtcdBackupStatus;
import dev.kiln.capi.api.controlplane.v1alpha1.KilnEtcdBackupStatus.StoredBackup;
import dev.kiln.capi.api.controlplane.v1alpha1.RecoverFrom;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnCluster;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnServer;
import dev.kiln.capi.core.v1beta1.Cluster;
import dev.kiln.capi.core.v1beta1.Machine;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Backups and disaster recovery end to end, on real node-init processes and real etcd (127.0.78.1-6; s3proxy on
 * 127.0.78.200, reached by the operator through a network it cannot trust on 127.0.78.201). A 3-machine control plane
 * holds 1,000 keys and is backed up every 5 s; retention keeps 3 backups; S3 goes down in the middle of an upload and
 * the operator is killed in the middle of another; 100 more keys and a last on-demand backup; then every machine is
 * destroyed, and the documented recovery makes a new control plane from the last backup on other servers.
 */
class EtcdRecoveryScenarioTest {

    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Path WORK = Path.of("target/scenarios/etcd-recovery").toAbsolutePath();
    private static final String BACKUP = "dr";
    private static final int FIRST_KEYS = 1000;
    private static final int LATER_KEYS = 100;
    private static final int RETENTION = 3;
    private static final Pattern UPLOAD_PART = Pattern.compile("(?m)^PUT \\S*[?&]partNumber=");

    @Test
    @Timeout(value = 900, unit = TimeUnit.SECONDS)
    void aControlPlaneWhoseMachinesWereAllDestroyedComesBackFromItsLastBackupWithEveryKey() throws Exception {
        assertTrue(Files.isExecutable(Path.of("/usr/bin/etcd")),
                "etcd is not installed: apt-get install -y etcd-server etcd-client");
        Demo.deleteTree(WORK);
        Files.createDirectories(WORK);
        try (LocalEnvironment env = LocalEnvironment.start(REPO, WORK, "127.0.78", 6,
                i -> Map.of("role", "controlplane"), Map.of("KILN_UNREACHABLE_NODE_GRACE", "20"));
                LocalS3 s3 = LocalS3.start(WORK.resolve("s3"), "127.0.78.200", BackupEvidence.BUCKET);
                StallingProxy network = StallingProxy.start("127.0.78.201", s3.endpoint())) {
            KubernetesClient client = env.client();
            createCluster(client, Optional.empty());
            BootstrapEvidence.awaitFormedControlPlane(client, 3);
            long before = BootstrapEvidence.assertThreeVotersOneClusterId(client, env);
            Etcdctl etcdctl = Etcdctl.forCluster(client, LocalEnvironment.NAMESPACE, Demo.CLUSTER,
                    WORK.resolve("etcdctl-before"));
            List<String> endpoints = controlPlaneEtcdEndpoints(client);
            etcdctl.putAll(endpoints, keys(0, FIRST_KEYS));

            BackupEvidence.createBackup(client, BACKUP, "@every 5s", RETENTION, network.endpoint(), Optional.empty());
            Set<String> scheduled = awaitScheduledBackups(client, RETENTION + 2);
            suspendSchedule(client);
            List<String> kept = assertRetentionKeeps(s3, client);
            assertTrue(scheduled.containsAll(kept), "kept " + kept + " are scheduled backups " + scheduled);

            String outageFailure = s3DownInTheMiddleOfAnUpload(client, s3, network, kept);
            operatorKilledInTheMiddleOfAnUpload(env, s3, network);

            etcdctl.putAll(endpoints, keys(FIRST_KEYS, FIRST_KEYS + LATER_KEYS));
            BackupEvidence.requestNow(client, BACKUP, "last-before-the-disaster");
            StoredBackup last = BackupEvidence.awaitBackup(client, BACKUP, "last-before-the-disaster",
                    Duration.ofSeconds(120));
            assertEquals(Long.toHexString(before), last.getEtcdClusterId());
            String snapshotStatus = BackupEvidence.assertRealSnapshot(s3, last, WORK);

            List<String> destroyed = destroyEveryControlPlaneMachine(env, client);
            deleteClusterAndAwaitServersReleased(client);
            RecoverFrom from = new RecoverFrom();
            from.setBackupName(BACKUP);
            createCluster(client, Optional.of(from));
            BootstrapEvidence.awaitFormedControlPlane(client, 3);
            long after = BootstrapEvidence.assertThreeVotersOneClusterId(client, env);

            assertNotEquals(before, after, "a restored etcd is a new etcd cluster");
            assertTrue(BootstrapEvidence.runningControlPlaneHosts(client).stream().noneMatch(destroyed::contains),
                    "the new control plane is on other servers than the destroyed " + destroyed);
            Map<String, String> restored = Etcdctl.forCluster(client, LocalEnvironment.NAMESPACE, Demo.CLUSTER,
                    WORK.resolve("etcdctl-after")).getPrefix(controlPlaneEtcdEndpoints(client), "/dr/");
            assertEquals(keys(0, FIRST_KEYS + LATER_KEYS), restored, "every key written before the last backup");
            String bootstrapped = BootstrapEvidence.clusterEvents(client, "Bootstrapped").stream()
                    .map(Event::getMessage).filter(m -> m.contains(Long.toHexString(after))).findFirst().orElseThrow();
            assertTrue(bootstrapped.contains("from backup " + last.getKey()), bootstrapped);
            assertBackupEvents(client, outageFailure);
            System.out.println("FIGURE etcd disaster recovery: " + restored.size() + " keys restored from "
                    + last.getSize() + " bytes (" + snapshotStatus + "); etcd cluster " + Long.toHexString(before)
                    + " -> " + Long.toHexString(after) + "; destroyed " + destroyed);
            assertEquals(List.of(), NeighbourCluster.kilnMarks(client), "Kiln touched the neighbour cluster");
        }
    }

    /**
     * S3 goes away while a part is on its way: the backup fails with a condition and a Warning, nothing appears under
     * a final key, and the retry after S3 is back succeeds and clears the dead upload. Returns the failure's reason.
     */
    private static String s3DownInTheMiddleOfAnUpload(KubernetesClient client, LocalS3 s3, StallingProxy network,
            List<String> kept) throws InterruptedException {
        network.holdNext(UPLOAD_PART);
        BackupEvidence.requestNow(client, BACKUP, "while-s3-goes-down");
        String held = network.awaitHeld(Duration.ofSeconds(60));
        network.down();
        KilnEtcdBackupStatus failed = awaitValue("the backup failure in status", Duration.ofSeconds(120), () ->
                Optional.ofNullable(BackupEvidence.get(client, BACKUP).getStatus())
                        .filter(status -> status.getLastFailure() != null));
        String reason = failed.getLastFailure().getReason();
        Condition ready = condition(BackupEvidence.get(client, BACKUP).getStatus(), "Ready");
        assertEquals("False", ready.getStatus());
        assertEquals(reason, ready.getReason());
        BucketContents duringOutage = bucket(s3);
        assertEquals(completeBackups(kept), duringOutage.objects(),
                "no object under a final key while the upload " + held + " is cut off");

        network.up();
        StoredBackup retried = BackupEvidence.awaitBackup(client, BACKUP, "while-s3-goes-down",
                Duration.ofSeconds(120));
        BucketContents afterRetry = bucket(s3);
        assertEquals(List.of(), afterRetry.incompleteUploads(), "the cut-off upload is aborted by the next run");
        assertTrue(afterRetry.snapshots().contains(retried.getKey()), retried.getKey());
        assertEquals(RETENTION, afterRetry.snapshots().size(), afterRetry.objects().toString());
        return reason;
    }

    /**
     * The operator is killed while its upload is held: the upload stays incomplete and invisible; the operator started
     * after it serves the same request once, and its run aborts the dead upload.
     */
    private static void operatorKilledInTheMiddleOfAnUpload(LocalEnvironment env, LocalS3 s3, StallingProxy network)
            throws InterruptedException {
        KubernetesClient client = env.client();
        List<String> snapshotsBefore = bucket(s3).snapshots();
        network.holdNext(UPLOAD_PART);
        BackupEvidence.requestNow(client, BACKUP, "while-the-operator-dies");
        network.awaitHeld(Duration.ofSeconds(60));
        env.operator().kill();
        BucketContents afterKill = bucket(s3);
        assertEquals(snapshotsBefore, afterKill.snapshots(), "a killed upload leaves no object under a final key");
        assertEquals(1, afterKill.incompleteUploads().size(), "the killed upload: " + afterKill);

        env.startOperator(WORK.resolve("operator-2.log"), Map.of("KILN_UNREACHABLE_NODE_GRACE", "20"));
        StoredBackup served = BackupEvidence.awaitBackup(client, BACKUP, "while-the-operator-dies",
                Duration.ofSeconds(180));
        BucketContents afterRestart = bucket(s3);
        assertEquals(List.of(), afterRestart.incompleteUploads(), "the killed upload is aborted");
        List<String> newSnapshots = afterRestart.snapshots().stream().filter(k -> !snapshotsBefore.contains(k)).toList();
        assertEquals(List.of(served.getKey()), newSnapshots, "one backup for the request, none twice");
        assertEquals(completeBackups(afterRestart.snapshots()), afterRestart.objects(), "every snapshot has its manifest");
    }

    private static Set<String> awaitScheduledBackups(KubernetesClient client, int count) throws InterruptedException {
        Set<String> seen = new LinkedHashSet<>();
        await(count + " scheduled backups", Duration.ofSeconds(180), () -> {
            KilnEtcdBackupStatus status = BackupEvidence.get(client, BACKUP).getStatus();
            if (status != null && status.getLastBackup() != null
                    && "Scheduled".equals(status.getLastBackup().getTrigger())) {
                seen.add(status.getLastBackup().getKey());
            }
            return seen.size() >= count;
        });
        return seen;
    }

    /** Scheduled backups stop, so the retention check below is not raced by the next one. */
    private static void suspendSchedule(KubernetesClient client) throws InterruptedException {
        // a merge patch without resourceVersion, as kubectl patch sends: the reconciler writes status every few seconds
        KilnEtcdBackup edited = BackupEvidence.backups(client).withName(BACKUP)
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"suspend\":true}}");
        long generation = edited.getMetadata().getGeneration();
        await("the suspension observed", Duration.ofSeconds(60), () -> {
            KilnEtcdBackupStatus status = BackupEvidence.get(client, BACKUP).getStatus();
            return status.getObservedGeneration() != null && status.getObservedGeneration() >= generation
                    && status.getNextScheduledTime() == null;
        });
    }

    private static List<String> assertRetentionKeeps(LocalS3 s3, KubernetesClient client) {
        BucketContents contents = bucket(s3);
        List<String> kept = BackupEvidence.get(client, BACKUP).getStatus().getBackups().stream()
                .map(StoredBackup::getKey).sorted().toList();
        assertEquals(RETENTION, contents.snapshots().size(), "snapshots kept: " + contents.objects());
        assertEquals(kept, contents.snapshots(), "status.backups names what the bucket holds");
        assertEquals(completeBackups(kept), contents.objects(), "each with its manifest, nothing else");
        assertEquals(List.of(), contents.incompleteUploads());
        return kept;
    }

    private static List<String> completeBackups(List<String> snapshots) {
        return snapshots.stream().flatMap(key -> Stream.of(key, BackupManifest.keyOf(key)))
                .sorted().toList();
    }

    private static List<String> destroyEveryControlPlaneMachine(LocalEnvironment env, KubernetesClient client) {
        List<String> servers = BootstrapEvidence.runningControlPlaneHosts(client);
        servers.forEach(address -> env.machines().kill(env.machines().byAddress(address)));
        return servers;
    }

    /** The documented recovery's first step: the Cluster goes, and its destroyed machines are given up. */
    private static void deleteClusterAndAwaitServersReleased(KubernetesClient client) throws InterruptedException {
        client.resources(Cluster.class).inNamespace(LocalEnvironment.NAMESPACE).withName(Demo.CLUSTER).delete();
        await("the Cluster and its objects gone and every server released", Duration.ofSeconds(300), () ->
                gone(client, Cluster.class) && gone(client, KilnControlPlane.class)
                        && gone(client, KilnCluster.class) && gone(client, Machine.class)
                        && client.resources(KilnServer.class).inNamespace(LocalEnvironment.NAMESPACE).list()
                        .getItems().stream().allMatch(s -> s.getStatus() != null
                                && Boolean.FALSE.equals(s.getStatus().getInUse()))
                        && BootstrapEvidence.bootstrapRecord(client) == null);
    }

    private static void assertBackupEvents(KubernetesClient client, String outageFailure) {
        List<Event> events = client.v1().events().inNamespace(LocalEnvironment.NAMESPACE).list().getItems().stream()
                .filter(e -> "KilnEtcdBackup".equals(e.getInvolvedObject().getKind())
                        && BACKUP.equals(e.getInvolvedObject().getName()))
                .toList();
        assertTrue(events.stream().anyMatch(e -> "BackupSucceeded".equals(e.getReason())), events.toString());
        assertTrue(events.stream().anyMatch(e -> "Warning".equals(e.getType()) && outageFailure.equals(e.getReason())),
                "a Warning " + outageFailure + " among " + events.stream().map(Event::getReason).toList());
        events.forEach(e -> assertTrue(!e.getMessage().contains(LocalS3.SECRET_KEY), "a credential in " + e));
    }

    /** examples/ with a 3-machine control plane, recovering from {@code from} when given. */
    private static void createCluster(KubernetesClient client, Optional<RecoverFrom> from) throws Exception {
        Manifests.create(client, REPO.resolve("examples/cluster.yaml"));
        for (HasMetadata loaded : client.load(Files.newInputStream(REPO.resolve("examples/control-plane.yaml")))
                .items()) {
            HasMetadata object = loaded;
            if ("KilnControlPlane".equals(loaded.getKind())) {
                KilnControlPlane controlPlane = client.getKubernetesSerialization().convertValue(loaded,
                        KilnControlPlane.class);
                controlPlane.getSpec().setReplicas(3);
                from.ifPresent(controlPlane.getSpec()::setRecoverFrom);
                object = controlPlane;
            }
            // the templates outlive the deleted Cluster (the garbage collector stand-in leaves them), as kept spares
            if (client.resource(object).inNamespace(LocalEnvironment.NAMESPACE).get() == null) {
                client.resource(object).inNamespace(LocalEnvironment.NAMESPACE).create();
            }
        }
    }



    private static List<String> controlPlaneEtcdEndpoints(KubernetesClient client) {
        return BootstrapEvidence.runningControlPlaneHosts(client).stream().map(Etcdctl::clientUrl).toList();
    }

    private static Map<String, String> keys(int from, int to) {
        Map<String, String> keys = new LinkedHashMap<>();
        IntStream.range(from, to).forEach(i -> keys.put(String.format("/dr/key-%05d", i), "value-" + i));
        return keys;
    }

    private static BucketContents bucket(LocalS3 s3) {
        return BucketContents.of(s3.endpoint(), BackupEvidence.BUCKET, BackupEvidence.PREFIX);
    }

    private static boolean gone(KubernetesClient client, Class<? extends HasMetadata> kind) {
        return client.resources(kind).inNamespace(LocalEnvironment.NAMESPACE).list().getItems().isEmpty();
    }

    private static Condition condition(HasConditions status, String type) {
        return Optional.ofNullable(status.getConditions()).orElse(List.of()).stream()
                .filter(c -> type.equals(c.getType())).findFirst()
                .orElseGet(() -> new Condition(type, "Unknown", "NotReported", "", null));
    }

    private static <T> T awaitValue(String what, Duration within, Supplier<Optional<T>> value) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<T> found = value.get();
            if (found.isPresent()) {
                return found.get();
            }
            Thread.sleep(250);
        }
        throw new AssertionError("timed out after " + within.toSeconds() + " s waiting for " + what);
    }

    private static void await(String what, Duration within, BooleanSupplier condition)
            throws InterruptedException {
        awaitValue(what, within, () -> condition.getAsBoolean() ? Optional.of(true) : Optional.empty());
    }
}
