package dev.kiln.testenv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.capi.api.controlplane.v1alpha1.KilnEtcdBackupStatus.StoredBackup;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnServer;
import dev.kiln.backupstore.LocalS3;
import dev.kiln.capi.core.v1beta1.Machine;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * docs/backups.md's procedure for a control plane that lost quorum for good, run with the real kubectl against the
 * management API stand-in, on real node-init and etcd (127.0.79.1-5, s3proxy on 127.0.79.200): 2 of 3 machines are
 * destroyed, the Cluster is deleted, and examples/recover-from-backup/ makes it again from its newest backup, on the
 * surviving server (reset and clean again) and two spares.
 */
class LostQuorumRecoveryScenarioTest {

    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Path WORK = Path.of("target/scenarios/lost-quorum").toAbsolutePath();
    private static final String BACKUP = "demo-etcd";
    private static final int KEYS = 300;

    @Test
    @Timeout(value = 900, unit = TimeUnit.SECONDS)
    void aControlPlaneThatLostTwoOfThreeMachinesIsMadeAgainFromItsNewestBackupTheDocumentedWay() throws Exception {
        assertTrue(Files.isExecutable(Path.of("/usr/bin/etcd")),
                "etcd is not installed: apt-get install -y etcd-server etcd-client");
        Demo.deleteTree(WORK);
        Files.createDirectories(WORK);
        try (LocalEnvironment env = LocalEnvironment.start(REPO, WORK, "127.0.79", 5,
                i -> Map.of("role", "controlplane"), Map.of("KILN_UNREACHABLE_NODE_GRACE", "20"));
                LocalS3 s3 = LocalS3.start(WORK.resolve("s3"), "127.0.79.200", BackupEvidence.BUCKET)) {
            KubernetesClient client = env.client();
            Path kubeconfig = env.api().writeUserKubeconfig(WORK.resolve("user.kubeconfig"));
            kubectl(kubeconfig, "apply", "-f", "examples/cluster.yaml", "-f", "examples/control-plane.yaml");
            BootstrapEvidence.awaitFormedControlPlane(client, 3);
            long before = BootstrapEvidence.assertThreeVotersOneClusterId(client, env);
            Etcdctl etcdctl = Etcdctl.forCluster(client, LocalEnvironment.NAMESPACE, Demo.CLUSTER,
                    WORK.resolve("etcdctl-before"));
            etcdctl.putAll(etcdEndpoints(client), keys());
            BackupEvidence.createBackup(client, BACKUP, "@daily", 7, s3.endpoint(), Optional.of("before-the-loss"));
            StoredBackup newest = BackupEvidence.awaitBackup(client, BACKUP, "before-the-loss", Duration.ofSeconds(120));

            List<String> servers = BootstrapEvidence.runningControlPlaneHosts(client);
            String survivor = servers.get(2);
            env.machines().kill(env.machines().byAddress(servers.get(0)));
            env.machines().kill(env.machines().byAddress(servers.get(1)));
            String refused = assertThrows(IllegalStateException.class, () -> etcdctl.put(
                    List.of(Etcdctl.clientUrl(survivor)), "/lost/after-the-loss", "never")).getMessage();
            awaitControlPlaneNotReady(client);

            String key = kubectl(kubeconfig, "get", "kilnetcdbackup", BACKUP, "-o",
                    "jsonpath={.status.lastBackup.key}").strip();
            assertEquals(newest.getKey(), key);
            kubectl(kubeconfig, "delete", "cluster", Demo.CLUSTER, "--wait", "--timeout=300s");
            BootstrapEvidence.await("the survivor reset and clean, the destroyed servers let go",
                    Duration.ofSeconds(300), () ->
                    client.resources(Machine.class).inNamespace(LocalEnvironment.NAMESPACE).list().getItems().isEmpty()
                            && freeAndClean(client, survivor));
            kubectl(kubeconfig, "apply", "-f", "examples/cluster.yaml",
                    "-f", "examples/recover-from-backup/control-plane.yaml");
            BootstrapEvidence.awaitFormedControlPlane(client, 3);
            long after = BootstrapEvidence.assertThreeVotersOneClusterId(client, env);

            assertNotEquals(before, after, "a restored etcd is a new etcd cluster");
            assertTrue(BootstrapEvidence.runningControlPlaneHosts(client).contains(survivor), "the reset survivor serves again");
            Map<String, String> restored = Etcdctl.forCluster(client, LocalEnvironment.NAMESPACE, Demo.CLUSTER,
                    WORK.resolve("etcdctl-after")).getPrefix(etcdEndpoints(client), "/lost/");
            assertEquals(keys(), restored);
            String bootstrapped = BootstrapEvidence.clusterEvents(client, "Bootstrapped").stream()
                    .map(Event::getMessage).filter(m -> m.contains(Long.toHexString(after))).findFirst().orElseThrow();
            assertTrue(bootstrapped.contains("from backup " + key), bootstrapped);
            System.out.println("FIGURE lost quorum: " + KEYS + " keys restored, etcd cluster "
                    + Long.toHexString(before) + " -> " + Long.toHexString(after) + "; a write with 1 of 3 members: "
                    + refused.lines().reduce((first, second) -> second).orElse(""));
        }
    }

    private static String kubectl(Path kubeconfig, String... args) {
        String[] command = new String[args.length + 2];
        command[0] = "--kubeconfig";
        command[1] = kubeconfig.toString();
        System.arraycopy(args, 0, command, 2, args.length);
        return HackScript.run("hack/kubectl", command);
    }


    private static void awaitControlPlaneNotReady(KubernetesClient client) throws InterruptedException {
        BootstrapEvidence.await("the control plane not Ready with 1 of 3 members", Duration.ofSeconds(120),
                () -> BootstrapEvidence.controlPlaneReady(client).equals("False"));
    }



    private static boolean freeAndClean(KubernetesClient client, String address) {
        return client.resources(KilnServer.class).inNamespace(LocalEnvironment.NAMESPACE).list().getItems().stream()
                .filter(server -> server.getSpec().getAddress().startsWith(address + ":"))
                .anyMatch(server -> server.getStatus() != null && Boolean.FALSE.equals(server.getStatus().getInUse())
                        && Boolean.TRUE.equals(server.getStatus().getClean()));
    }

    private static List<String> etcdEndpoints(KubernetesClient client) {
        return BootstrapEvidence.runningControlPlaneHosts(client).stream().map(Etcdctl::clientUrl).toList();
    }

    private static Map<String, String> keys() {
        Map<String, String> keys = new LinkedHashMap<>();
        IntStream.range(0, KEYS).forEach(i -> keys.put(String.format("/lost/key-%04d", i), "value-" + i));
        return keys;
    }
}
