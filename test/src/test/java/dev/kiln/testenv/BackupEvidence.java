package dev.kiln.testenv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.backupstore.LocalS3;
import dev.kiln.backupstore.S3BackupStore;
import dev.kiln.capi.api.controlplane.v1alpha1.BackupDestination;
import dev.kiln.capi.api.controlplane.v1alpha1.KilnEtcdBackup;
import dev.kiln.capi.api.controlplane.v1alpha1.KilnEtcdBackupSpec;
import dev.kiln.capi.api.controlplane.v1alpha1.KilnEtcdBackupStatus.StoredBackup;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** An on-demand KilnEtcdBackup of the demo cluster to an in-JVM S3 server, and checks on what landed there. */
final class BackupEvidence {

    static final String BUCKET = "etcd-backups";
    static final String PREFIX = "kiln/";

    private BackupEvidence() {
    }

    /** Creates the credentials Secret and a KilnEtcdBackup asking for one backup now (schedule: daily). */
    static void requestBackup(KubernetesClient client, LocalS3 s3, String name, String request) {
        createBackup(client, name, "@daily", 3, s3.endpoint(), Optional.of(request));
    }

    /**
     * Creates the credentials Secret and a KilnEtcdBackup of the demo cluster to {@code endpoint}, with an on-demand
     * request when one is given.
     */
    static void createBackup(KubernetesClient client, String name, String schedule, int retention, URI endpoint,
            Optional<String> request) {
        client.secrets().inNamespace(LocalEnvironment.NAMESPACE).resource(new SecretBuilder()
                .withMetadata(new ObjectMetaBuilder().withName(name + "-s3").build())
                .withStringData(Map.of("accessKeyId", LocalS3.ACCESS_KEY, "secretAccessKey", LocalS3.SECRET_KEY))
                .build()).create();
        KilnEtcdBackupSpec spec = new KilnEtcdBackupSpec();
        spec.setClusterName(Demo.CLUSTER);
        spec.setSchedule(schedule);
        spec.setRetention(retention);
        BackupDestination destination = new BackupDestination();
        destination.setEndpoint(endpoint.toString());
        destination.setBucket(BUCKET);
        destination.setPrefix(PREFIX);
        destination.setForcePathStyle(true);
        BackupDestination.SecretRef ref = new BackupDestination.SecretRef();
        ref.setName(name + "-s3");
        destination.setCredentialsSecretRef(ref);
        spec.setDestination(destination);
        KilnEtcdBackup backup = new KilnEtcdBackup();
        backup.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(LocalEnvironment.NAMESPACE)
                .withAnnotations(request.map(r -> Map.of(KilnEtcdBackup.BACKUP_NOW_ANNOTATION, r)).orElse(Map.of()))
                .build());
        backup.setSpec(spec);
        client.resource(backup).create();
    }

    /** Asks for one backup now, as {@code kubectl annotate --overwrite} does: a merge patch, no resourceVersion. */
    static void requestNow(KubernetesClient client, String name, String request) {
        backups(client).withName(name).patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"annotations\":{\""
                + KilnEtcdBackup.BACKUP_NOW_ANNOTATION + "\":\"" + request + "\"}}}");
    }

    static KilnEtcdBackup get(KubernetesClient client, String name) {
        return backups(client).withName(name).get();
    }

    static NonNamespaceOperation<KilnEtcdBackup, KubernetesResourceList<KilnEtcdBackup>, Resource<KilnEtcdBackup>>
            backups(KubernetesClient client) {
        return client.resources(KilnEtcdBackup.class).inNamespace(LocalEnvironment.NAMESPACE);
    }

    static StoredBackup awaitBackup(KubernetesClient client, String name, String request, Duration within)
            throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            KilnEtcdBackup backup = client.resources(KilnEtcdBackup.class).inNamespace(LocalEnvironment.NAMESPACE)
                    .withName(name).get();
            if (backup.getStatus() != null && request.equals(backup.getStatus().getLastOnDemandRequest())
                    && backup.getStatus().getLastBackup() != null) {
                return backup.getStatus().getLastBackup();
            }
            Thread.sleep(250);
        }
        throw new AssertionError("backup request " + request + " was not served; status: "
                + client.getKubernetesSerialization().asJson(client.resources(KilnEtcdBackup.class)
                .inNamespace(LocalEnvironment.NAMESPACE).withName(name).get().getStatus()));
    }

    /**
     * Downloads the backup, checks its bytes against the SHA-256 in status, and has etcdctl read it as an etcd
     * snapshot; returns what etcdctl says ({@code hash, revision, totalKey, totalSize} as JSON).
     */
    static String assertRealSnapshot(LocalS3 s3, StoredBackup stored, Path work) throws Exception {
        Path file = work.resolve("backup.db");
        try (S3BackupStore store = S3BackupStore.open(s3.destination(BUCKET, PREFIX), LocalS3.credentials());
                InputStream in = store.read(stored.getKey())) {
            Files.copy(in, file);
        }
        byte[] bytes = Files.readAllBytes(file);
        assertEquals(stored.getSize().longValue(), bytes.length, "size in status");
        assertEquals(stored.getSha256(), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)),
                "sha256 in status");
        Process etcdctl = new ProcessBuilder(List.of(Etcdctl.BINARY.toString(), "snapshot", "status", file.toString(),
                "-w", "json")).redirectErrorStream(true).start();
        etcdctl.getOutputStream().close();
        String out = new String(etcdctl.getInputStream().readAllBytes());
        assertTrue(etcdctl.waitFor(60, TimeUnit.SECONDS), "etcdctl snapshot status did not finish");
        assertEquals(0, etcdctl.exitValue(), "etcdctl snapshot status: " + out);
        assertTrue(out.contains("\"revision\"") && out.contains("\"totalKey\""), out);
        return out.strip();
    }
}
