package dev.kiln.capi.backup;

import static dev.kiln.capi.etcd.EtcdTestBed.NS;
import static dev.kiln.capi.etcd.EtcdTestBed.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.backupstore.BackupManifest;
import dev.kiln.backupstore.LocalS3;
import dev.kiln.backupstore.S3BackupStore;
import dev.kiln.capi.api.common.Condition;
import dev.kiln.capi.api.common.Conditions;
import dev.kiln.capi.api.controlplane.v1alpha1.BackupDestination;
import dev.kiln.capi.api.controlplane.v1alpha1.KilnEtcdBackup;
import dev.kiln.capi.api.controlplane.v1alpha1.KilnEtcdBackupSpec;
import dev.kiln.capi.api.controlplane.v1alpha1.KilnEtcdBackupStatus;
import dev.kiln.capi.core.v1beta1.Cluster;
import dev.kiln.capi.etcd.EtcdTestBed;
import dev.kiln.capi.node.InMemoryNodes;
import dev.kiln.capi.testing.OperatorHarness;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;


/**
 * KilnEtcdBackup on the CRUD mock server with in-memory nodes (a 3-voter etcd bootstrapped by the cluster etcd
 * reconciler) and a real S3-compatible server (s3proxy on 127.0.77.2) reached through the AWS SDK.
 */
@EnableKubernetesMockClient(crud = true)
class KilnEtcdBackupReconcilerTest {

    private static final String BUCKET = "backups";
    private static final String WRONG_SECRET = "this-secret-is-wrong-1234";

    @TempDir
    static Path root;
    private static LocalS3 s3;

    KubernetesClient client;
    private EtcdTestBed bed;
    private OperatorHarness backups;
    private Cluster cluster;

    @BeforeAll
    static void startS3() throws Exception {
        s3 = LocalS3.start(root.resolve("s3"), "127.0.77.2", BUCKET);
    }

    @AfterAll
    static void stopS3() throws Exception {
        s3.close();
    }

    @BeforeEach
    void formCluster() throws Exception {
        bed = new EtcdTestBed(client);
        cluster = bed.cluster("alpha");
        for (int i = 0; i < 3; i++) {
            bed.controlPlaneMachine(cluster, "cp-" + i, "10.0.1." + (i + 1));
        }
        bed.startOperator("operator-a");
        bed.awaitCompletedRecord(cluster);
        bed.settleTo(3);
        credentials("s3-credentials", LocalS3.SECRET_KEY);
        backups = OperatorHarness.start(client,
                List.of(new KilnEtcdBackupReconciler(bed.dependencies("operator-a", Clock.systemUTC()))));
    }

    @AfterEach
    void stop() {
        backups.close();
        bed.close();
    }

    private void credentials(String name, String secretKey) {
        client.secrets().inNamespace(NS).resource(new SecretBuilder()
                .withMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build())
                .withStringData(Map.of("accessKeyId", LocalS3.ACCESS_KEY, "secretAccessKey", secretKey))
                .build()).create();
    }

    private KilnEtcdBackup backup(String name, String schedule, int retention, String secret) {
        KilnEtcdBackupSpec spec = new KilnEtcdBackupSpec();
        spec.setClusterName("alpha");
        spec.setSchedule(schedule);
        spec.setRetention(retention);
        BackupDestination destination = new BackupDestination();
        destination.setEndpoint(s3.endpoint().toString());
        destination.setBucket(BUCKET);
        destination.setPrefix(name + "/");
        destination.setForcePathStyle(true);
        BackupDestination.SecretRef ref = new BackupDestination.SecretRef();
        ref.setName(secret);
        destination.setCredentialsSecretRef(ref);
        spec.setDestination(destination);
        KilnEtcdBackup backup = new KilnEtcdBackup();
        backup.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
        backup.setSpec(spec);
        return client.resource(backup).create();
    }

    private KilnEtcdBackup current(String name) {
        return client.resources(KilnEtcdBackup.class).inNamespace(NS).withName(name).get();
    }

    private Optional<Condition> condition(String name, String type) {
        KilnEtcdBackupStatus status = current(name).getStatus();
        return status == null ? Optional.empty() : Conditions.get(status, type);
    }

    private void requestBackup(String name, String value) {
        // a merge patch without resourceVersion, as kubectl annotate sends: the reconciler writes status meanwhile
        client.resources(KilnEtcdBackup.class).inNamespace(NS).withName(name)
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"annotations\":{\""
                        + KilnEtcdBackup.BACKUP_NOW_ANNOTATION + "\":\"" + value + "\"}}}");
    }

    private void awaitServed(String name, String request) throws InterruptedException {
        eventually("backup request " + request + " of " + name + " served", () -> {
            KilnEtcdBackupStatus status = current(name).getStatus();
            return status != null && request.equals(status.getLastOnDemandRequest());
        }, Duration.ofSeconds(60));
    }

    private List<Event> events(String name, String reason) {
        return client.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> "KilnEtcdBackup".equals(e.getInvolvedObject().getKind())
                        && name.equals(e.getInvolvedObject().getName()) && reason.equals(e.getReason()))
                .toList();
    }

    private List<String> objects(String prefix) {
        try (S3BackupStore store = S3BackupStore.open(s3.destination(BUCKET, prefix), LocalS3.credentials())) {
            return store.keys(prefix);
        }
    }

    @Test
    void aScheduledBackupLandsWithItsManifestAndIsRecordedInStatus() throws Exception {
        backup("scheduled", "@every 5s", 3, "s3-credentials");

        eventually("a scheduled backup", () -> current("scheduled").getStatus() != null
                && current("scheduled").getStatus().getLastBackup() != null, Duration.ofSeconds(60));

        KilnEtcdBackupStatus.StoredBackup last = current("scheduled").getStatus().getLastBackup();
        assertEquals("Scheduled", last.getTrigger());
        assertEquals("cp-1", last.getMember(), "a follower, first by name: cp-0 leads");
        assertTrue(last.getKey().startsWith("scheduled/default/alpha/"), last.getKey());
        assertTrue(objects("scheduled/").containsAll(List.of(last.getKey(), last.getKey() + ".json")));
        try (S3BackupStore store = S3BackupStore.open(s3.destination(BUCKET, "scheduled/"), LocalS3.credentials())) {
            BackupManifest manifest = store.manifest(last.getKey()).orElseThrow();
            assertEquals(last.getSha256(), manifest.sha256());
            assertEquals(last.getEtcdClusterId(), manifest.etcdClusterId());
            assertEquals(OptionalLong.of(InMemoryNodes.SNAPSHOT_REVISION), manifest.etcdRevision());
        }
        assertEquals(InMemoryNodes.SNAPSHOT_REVISION, last.getEtcdRevision());
        assertEquals("True", condition("scheduled", "Ready").orElseThrow().getStatus());
        assertTrue(bed.nodes.calls().contains("10.0.1.2 snapshot"), bed.nodes.calls().toString());
        assertFalse(events("scheduled", "BackupSucceeded").isEmpty());
    }

    @Test
    void eachNewOnDemandRequestTakesOneBackupAndRetentionKeepsTheNewest() throws Exception {
        backup("on-demand", "@daily", 2, "s3-credentials");
        for (String request : List.of("r1", "r2", "r3", "r4")) {
            requestBackup("on-demand", request);
            awaitServed("on-demand", request);
        }

        assertEquals(4, events("on-demand", "BackupSucceeded").size(), "one backup per request");
        List<String> objects = objects("on-demand/");
        assertEquals(4, objects.size(), "two snapshots and their manifests: " + objects);
        KilnEtcdBackupStatus status = current("on-demand").getStatus();
        assertEquals(2, status.getBackups().size());
        assertEquals(status.getLastBackup().getKey(), status.getBackups().get(0).getKey(), "newest first");
        assertTrue(objects.contains(status.getBackups().get(1).getKey()));
        assertEquals("OnDemand", status.getLastBackup().getTrigger());
    }

    @Test
    void refusedCredentialsGiveAConditionAndAWarningThatNeverShowTheSecret() throws Exception {
        credentials("wrong-credentials", WRONG_SECRET);
        backup("refused", "@every 5s", 2, "wrong-credentials");

        eventually("the refusal in status", () -> condition("refused", "Ready")
                .map(c -> "CredentialsRefused".equals(c.getReason())).orElse(false), Duration.ofSeconds(60));

        KilnEtcdBackup refused = current("refused");
        assertTrue(refused.getStatus().getFailuresInARow() >= 1);
        assertEquals("CredentialsRefused", refused.getStatus().getLastFailure().getReason());
        assertFalse(client.getKubernetesSerialization().asJson(refused.getStatus()).contains(WRONG_SECRET));
        List<Event> warnings = events("refused", "CredentialsRefused");
        assertFalse(warnings.isEmpty());
        assertTrue(warnings.stream().noneMatch(e -> e.getMessage().contains(WRONG_SECRET)));
        assertEquals(List.of(), objects("refused/"));
    }

    @Test
    void anInvalidScheduleStallsNamingTheField() throws Exception {
        backup("invalid", "@every 1s", 2, "s3-credentials");

        eventually("Stalled", () -> condition("invalid", "Stalled").isPresent(), Duration.ofSeconds(30));

        Condition stalled = condition("invalid", "Stalled").orElseThrow();
        assertEquals("InvalidSpec", stalled.getReason());
        assertTrue(stalled.getMessage().contains("spec.schedule"), stalled.getMessage());
        assertEquals(List.of(), objects("invalid/"));
    }
}
