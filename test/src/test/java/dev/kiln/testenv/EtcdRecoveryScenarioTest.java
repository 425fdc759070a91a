package dev.kiln.testenv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.capi.api.controlplane.v1alpha1.KilnControlPlane;
import dev.kiln.capi.api.controlplane.v1alpha1.KilnEtcdBackupStatus.StoredBackup;
import dev.kiln.capi.api.controlplane.v1alpha1.RecoverFrom;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnCluster;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnServer;
import dev.kiln.capi.backup.LocalS3;
import dev.kiln.capi.core.v1beta1.Cluster;
import dev.kiln.capi.core.v1beta1.Machine;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Disaster recovery end to end, on real node-init processes and real etcd (127.0.78.1-3, s3proxy on 127.0.78.200):
 * a one-machine control plane holds keys, is backed up on demand, and the Cluster is deleted with its etcd. The
 * same manifests with {@code spec.recoverFrom} make a new cluster whose etcd is bootstrapped from the backup.
 */
class EtcdRecoveryScenarioTest {

    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Path WORK = Path.of("target/scenarios/etcd-recovery").toAbsolutePath();
    private static final int KEYS = 200;

    @Test
    @Timeout(value = 600, unit = TimeUnit.SECONDS)
    void aClusterCreatedAgainFromItsBackupHasItsKeysUnderANewEtcdClusterId() throws Exception {
        assertTrue(Files.isExecutable(Path.of("/usr/bin/etcd")),
                "etcd is not installed: apt-get install -y etcd-server etcd-client");
        Demo.deleteTree(WORK);
        Files.createDirectories(WORK);
        try (LocalEnvironment env = LocalEnvironment.start(REPO, WORK, "127.0.78", 3,
                i -> Map.of("role", "controlplane"), Map.of());
                LocalS3 s3 = LocalS3.start(WORK.resolve("s3"), "127.0.78.200", BackupEvidence.BUCKET)) {
            KubernetesClient client = env.client();
            createCluster(client, Optional.empty());
            String before = awaitBootstrapped(client);
            List<String> endpoints = List.of(Etcdctl.clientUrl(runningControlPlaneAddress(client)));
            Etcdctl etcdctl = Etcdctl.forCluster(client, LocalEnvironment.NAMESPACE, Demo.CLUSTER,
                    WORK.resolve("etcdctl-before"));
            for (int i = 0; i < KEYS; i++) {
                etcdctl.put(endpoints, "/dr/key-" + i, "value-" + i);
            }

            BackupEvidence.requestBackup(client, s3, "dr", "before-the-disaster");
            StoredBackup backup = BackupEvidence.awaitBackup(client, "dr", "before-the-disaster",
                    Duration.ofSeconds(60));
            assertEquals(before, backup.getEtcdClusterId());

            client.resources(Cluster.class).inNamespace(LocalEnvironment.NAMESPACE).withName(Demo.CLUSTER).delete();
            await("the Cluster and its objects gone and every server free and clean", Duration.ofSeconds(300), () ->
                    gone(client, Cluster.class) && gone(client, KilnControlPlane.class)
                            && gone(client, KilnCluster.class) && gone(client, Machine.class)
                            && client.resources(KilnServer.class).inNamespace(LocalEnvironment.NAMESPACE)
                            .list().getItems().stream().allMatch(EtcdRecoveryScenarioTest::freeAndClean)
                            && BootstrapEvidence.bootstrapRecord(client) == null);

            RecoverFrom from = new RecoverFrom();
            from.setBackupName("dr");
            createCluster(client, Optional.of(from));
            String after = awaitBootstrapped(client);

            assertNotEquals(before, after, "a restored etcd is a new etcd cluster");
            Etcdctl restored = Etcdctl.forCluster(client, LocalEnvironment.NAMESPACE, Demo.CLUSTER,
                    WORK.resolve("etcdctl-after"));
            Map<String, String> keys = restored.getPrefix(List.of(Etcdctl.clientUrl(
                    runningControlPlaneAddress(client))), "/dr/");
            assertEquals(KEYS, keys.size());
            assertEquals("value-" + (KEYS - 1), keys.get("/dr/key-" + (KEYS - 1)));
            String bootstrapped = BootstrapEvidence.clusterEvents(client, "Bootstrapped").stream()
                    .map(e -> e.getMessage()).filter(m -> m.contains(after)).findFirst().orElseThrow();
            assertTrue(bootstrapped.contains("from backup " + backup.getKey()), bootstrapped);
            System.out.println("FIGURE etcd recovery: " + KEYS + " keys restored from " + backup.getSize()
                    + " bytes; etcd cluster " + before + " -> " + after);
            assertEquals(List.of(), NeighbourCluster.kilnMarks(client), "Kiln touched the neighbour cluster");
        }
    }

    /** examples/ with a one-machine control plane, recovering from {@code from} when given. */
    private static void createCluster(KubernetesClient client, Optional<RecoverFrom> from) throws Exception {
        Manifests.create(client, REPO.resolve("examples/cluster.yaml"));
        for (HasMetadata loaded : client.load(Files.newInputStream(REPO.resolve("examples/control-plane.yaml")))
                .items()) {
            HasMetadata object = loaded;
            if ("KilnControlPlane".equals(loaded.getKind())) {
                KilnControlPlane controlPlane = client.getKubernetesSerialization().convertValue(loaded,
                        KilnControlPlane.class);
                controlPlane.getSpec().setReplicas(1);
                from.ifPresent(controlPlane.getSpec()::setRecoverFrom);
                object = controlPlane;
            }
            // the templates outlive the deleted Cluster (the garbage collector stand-in leaves them), as kept spares
            if (client.resource(object).inNamespace(LocalEnvironment.NAMESPACE).get() == null) {
                client.resource(object).inNamespace(LocalEnvironment.NAMESPACE).create();
            }
        }
    }

    /** Waits for a completed bootstrap record and returns its etcd cluster ID. */
    private static String awaitBootstrapped(KubernetesClient client) throws InterruptedException {
        await("etcd bootstrapped", Duration.ofSeconds(180), () -> {
            ConfigMap record = BootstrapEvidence.bootstrapRecord(client);
            return record != null && "true".equals(record.getData().get("completed"));
        });
        return BootstrapEvidence.bootstrapRecord(client).getData().get("etcdClusterId");
    }

    private static String runningControlPlaneAddress(KubernetesClient client) throws InterruptedException {
        await("a Running control-plane Machine", Duration.ofSeconds(120), () -> BootstrapEvidence
                .clusterMachines(client).stream().anyMatch(m -> Demo.isControlPlane(m)
                        && m.getStatus() != null && "Running".equals(m.getStatus().getPhase())));
        Machine machine = BootstrapEvidence.clusterMachines(client).stream()
                .filter(m -> Demo.isControlPlane(m) && "Running".equals(m.getStatus().getPhase()))
                .findFirst().orElseThrow();
        return machine.getStatus().getAddresses().get(0).getAddress();
    }

    private static boolean gone(KubernetesClient client, Class<? extends HasMetadata> kind) {
        return client.resources(kind).inNamespace(LocalEnvironment.NAMESPACE).list().getItems().isEmpty();
    }

    private static boolean freeAndClean(KilnServer server) {
        var status = server.getStatus();
        return status != null && Boolean.FALSE.equals(status.getInUse()) && Boolean.TRUE.equals(status.getClean());
    }

    private static void await(String what, Duration within, Supplier<Boolean> condition) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.get()) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("timed out after " + within.toSeconds() + " s waiting for " + what);
    }
}
