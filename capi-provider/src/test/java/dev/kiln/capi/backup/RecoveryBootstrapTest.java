package dev.kiln.capi.backup;

import static dev.kiln.capi.etcd.EtcdTestBed.NS;
import static dev.kiln.capi.etcd.EtcdTestBed.eventually;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.backupstore.BackupManifest;
import dev.kiln.backupstore.LocalS3;
import dev.kiln.backupstore.S3BackupStore;
import dev.kiln.capi.api.controlplane.v1alpha1.BackupDestination;
import dev.kiln.capi.api.controlplane.v1alpha1.KilnControlPlane;
import dev.kiln.capi.api.controlplane.v1alpha1.KilnControlPlaneSpec;
import dev.kiln.capi.api.controlplane.v1alpha1.RecoverFrom;
import dev.kiln.capi.core.v1beta1.Cluster;
import dev.kiln.capi.etcd.EtcdTestBed;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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
 * A KilnControlPlane with spec.recoverFrom: the cluster etcd reconciler uploads the backup from S3 (s3proxy on
 * 127.0.77.3) to the bootstrap machine and bootstraps from it, or refuses before Bootstrap when it does not match.
 */
@EnableKubernetesMockClient(crud = true)
class RecoveryBootstrapTest {

    private static final String BUCKET = "recovery";
    private static final byte[] SNAPSHOT = "an etcd snapshot with 1,100 keys".getBytes(StandardCharsets.UTF_8);

    @TempDir
    static Path root;
    private static LocalS3 s3;

    KubernetesClient client;
    private EtcdTestBed bed;

    @BeforeAll
    static void startS3() throws Exception {
        s3 = LocalS3.start(root.resolve("s3"), "127.0.77.3", BUCKET);
    }

    @AfterAll
    static void stopS3() throws Exception {
        s3.close();
    }

    @BeforeEach
    void setUp() {
        bed = new EtcdTestBed(client);
        client.secrets().inNamespace(NS).resource(new SecretBuilder()
                .withMetadata(new ObjectMetaBuilder().withName("s3").withNamespace(NS).build())
                .withStringData(Map.of("accessKeyId", LocalS3.ACCESS_KEY, "secretAccessKey", LocalS3.SECRET_KEY))
                .build()).create();
    }

    @AfterEach
    void tearDown() {
        bed.close();
    }

    /** Stores the snapshot under {@code key} with a manifest that says {@code manifestSha}. */
    private static void store(String key, String manifestSha) throws Exception {
        try (S3BackupStore store = S3BackupStore.open(s3.destination(BUCKET, ""), LocalS3.credentials())) {
            S3BackupStore.Uploaded uploaded = store.upload(key, new ByteArrayInputStream(SNAPSHOT));
            store.writeManifest(new BackupManifest(key, uploaded.size(),
                    manifestSha == null ? uploaded.sha256() : manifestSha, "8e9e05c52164694d",
                    OptionalLong.empty(), Instant.parse("2026-12-04T12:00:00Z"), "old-cp-1", "default/old"));
        }
    }

    private Cluster clusterRecoveringFrom(String name, String key, String sha256) {
        BackupDestination destination = new BackupDestination();
        destination.setEndpoint(s3.endpoint().toString());
        destination.setBucket(BUCKET);
        destination.setForcePathStyle(true);
        BackupDestination.SecretRef ref = new BackupDestination.SecretRef();
        ref.setName("s3");
        destination.setCredentialsSecretRef(ref);
        RecoverFrom from = new RecoverFrom();
        from.setDestination(destination);
        from.setKey(key);
        from.setSha256(sha256);
        KilnControlPlaneSpec spec = new KilnControlPlaneSpec();
        spec.setReplicas(3);
        spec.setVersion("v1.31.2");
        spec.setRecoverFrom(from);
        KilnControlPlane controlPlane = new KilnControlPlane();
        controlPlane.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
        controlPlane.setSpec(spec);
        client.resource(controlPlane).create();
        Cluster cluster = bed.cluster(name);
        for (int i = 0; i < 3; i++) {
            bed.controlPlaneMachine(cluster, name + "-cp-" + i, "10.0.3." + (i + 1));
        }
        return cluster;
    }

    private List<Event> events(Cluster cluster, String reason) {
        return client.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> "Cluster".equals(e.getInvolvedObject().getKind())
                        && cluster.getMetadata().getName().equals(e.getInvolvedObject().getName())
                        && reason.equals(e.getReason()))
                .toList();
    }

    @Test
    void etcdIsBootstrappedFromTheBackupOnTheRecordsMachineOnce() throws Exception {
        store("old/a.db", null);
        Cluster cluster = clusterRecoveringFrom("restored", "old/a.db", null);
        bed.startOperator("operator-a");

        bed.awaitCompletedRecord(cluster);

        assertArrayEquals(SNAPSHOT, bed.nodes.recoveredFrom().orElseThrow());
        assertEquals(List.of("10.0.3.1 bootstrap-recover"), bed.nodes.calls().stream()
                .filter(c -> c.contains("bootstrap")).toList());
        String message = events(cluster, "Bootstrapped").get(0).getMessage();
        assertTrue(message.contains("from backup old/a.db (" + SNAPSHOT.length + " bytes"), message);
    }

    @Test
    void aSnapshotWhoseBytesDoNotMatchItsManifestIsRefusedBeforeBootstrap() throws Exception {
        store("old/tampered.db", "0".repeat(64));
        Cluster cluster = clusterRecoveringFrom("tampered", "old/tampered.db", null);
        bed.startOperator("operator-a");

        eventually("RecoveryRefused", () -> !events(cluster, "RecoveryRefused").isEmpty(), Duration.ofSeconds(30));

        String message = events(cluster, "RecoveryRefused").get(0).getMessage();
        assertTrue(message.contains("has sha256 ") && message.contains("the backup record says " + "0".repeat(64)),
                message);
        assertEquals(0, bed.nodes.bootstrapCalls());
        assertEquals(Optional.empty(), bed.nodes.recoveredFrom());
    }

    @Test
    void aRequestedShaThatDiffersFromTheManifestIsRefusedBeforeAnyUpload() throws Exception {
        store("old/b.db", null);
        Cluster cluster = clusterRecoveringFrom("wrong-sha", "old/b.db", "f".repeat(64));
        bed.startOperator("operator-a");

        eventually("RecoveryRefused", () -> !events(cluster, "RecoveryRefused").isEmpty(), Duration.ofSeconds(30));

        assertTrue(events(cluster, "RecoveryRefused").get(0).getMessage().contains("its manifest says sha256"));
        assertTrue(bed.nodes.calls().stream().noneMatch(c -> c.endsWith(" recover") || c.contains("bootstrap")),
                bed.nodes.calls().toString());
    }
}
