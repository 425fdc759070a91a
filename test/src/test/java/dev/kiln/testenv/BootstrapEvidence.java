package dev.kiln.testenv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.capi.api.common.Condition;
import dev.kiln.capi.api.controlplane.v1alpha1.KilnControlPlane;
import dev.kiln.capi.core.v1beta1.Machine;
import dev.kiln.machinery.api.machine.EtcdMember;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * What shows how many times the {@code demo} cluster was bootstrapped, from the durable places that outlive an
 * operator process: the bootstrap record, the Cluster's Events, the operators' logs and the nodes' own disks.
 */
final class BootstrapEvidence {

    private static final String BOOTSTRAPPED = "Bootstrapped";

    private BootstrapEvidence() {
    }

    static List<Machine> clusterMachines(KubernetesClient client) {
        return client.resources(Machine.class).inNamespace(LocalEnvironment.NAMESPACE)
                .withLabel(Machine.CLUSTER_NAME_LABEL, Demo.CLUSTER).list().getItems();
    }

    /** The hosts of the Running control-plane Machines, from their addresses. */
    static List<String> runningControlPlaneHosts(KubernetesClient client) {
        return clusterMachines(client).stream()
                .filter(m -> Demo.isControlPlane(m) && m.getStatus() != null
                        && "Running".equals(m.getStatus().getPhase()))
                .map(m -> m.getStatus().getAddresses().get(0).getAddress())
                .map(address -> address.contains(":") ? address.substring(0, address.indexOf(':')) : address)
                .toList();
    }

    /** Waits for a completed bootstrap record, then {@code replicas} Running control-plane Machines and a Ready control plane. */
    static void awaitFormedControlPlane(KubernetesClient client, int replicas) throws InterruptedException {
        await("etcd bootstrapped", Duration.ofSeconds(180), () -> {
            ConfigMap record = bootstrapRecord(client);
            return record != null && "true".equals(record.getData().get("completed"));
        });
        await(replicas + " Running control-plane Machines and a Ready control plane", Duration.ofSeconds(300),
                () -> runningControlPlaneHosts(client).size() == replicas && controlPlaneReady(client).equals("True"));
    }

    /** The KilnControlPlane's Ready condition status, Unknown while it has none. */
    static String controlPlaneReady(KubernetesClient client) {
        KilnControlPlane controlPlane = client.resources(KilnControlPlane.class)
                .inNamespace(LocalEnvironment.NAMESPACE).withName(Demo.CLUSTER).get();
        if (controlPlane == null || controlPlane.getStatus() == null || controlPlane.getStatus().getConditions() == null) {
            return "Unknown";
        }
        return controlPlane.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType()))
                .map(Condition::getStatus).findFirst().orElse("Unknown");
    }

    static void await(String what, Duration within, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("timed out after " + within.toSeconds() + " s waiting for " + what);
    }

    /** The record ConfigMap, null when absent; fails when a second record of any name exists. */
    static ConfigMap bootstrapRecord(KubernetesClient client) {
        List<ConfigMap> records = client.configMaps().inNamespace(LocalEnvironment.NAMESPACE).list().getItems()
                .stream().filter(c -> c.getMetadata().getName().endsWith("-kiln-bootstrap")).toList();
        assertTrue(records.size() <= 1, "bootstrap records " + records.stream().map(c -> c.getMetadata().getName())
                .toList());
        records.forEach(r -> assertEquals(Demo.CLUSTER + "-kiln-bootstrap", r.getMetadata().getName()));
        return records.isEmpty() ? null : records.get(0);
    }

    /** Events with reason Bootstrapped on the Cluster, whichever operator process wrote them. */
    static long bootstrappedEvents(KubernetesClient client) {
        return clusterEvents(client, BOOTSTRAPPED).size();
    }

    /** Events with this reason on the Cluster, whichever operator process wrote them. */
    static List<Event> clusterEvents(KubernetesClient client, String reason) {
        return client.v1().events().inNamespace(LocalEnvironment.NAMESPACE).list().getItems().stream()
                .filter(e -> "Cluster".equals(e.getInvolvedObject().getKind())
                        && Demo.CLUSTER.equals(e.getInvolvedObject().getName())
                        && reason.equals(e.getReason()))
                .toList();
    }

    /** Bootstrapped decisions in one operator's log; the log outlives the process. */
    static long bootstrappedDecisions(OperatorProcess operator) {
        return operator.logText().lines()
                .filter(line -> line.contains("cluster " + LocalEnvironment.NAMESPACE + "/" + Demo.CLUSTER + ": "
                        + BOOTSTRAPPED + ": "))
                .count();
    }

    /** Every control-plane node (of 3) answers with the same 3 voting members and one etcd cluster ID, which it returns. */
    static long assertThreeVotersOneClusterId(KubernetesClient client, LocalEnvironment env) {
        List<Machine> machines = clusterMachines(client).stream().filter(Demo::isControlPlane).toList();
        assertEquals(3, machines.size(), "control-plane Machines");
        String kilnconfig = EtcdReport.kilnconfig(client, LocalEnvironment.NAMESPACE, Demo.CLUSTER).orElseThrow();
        List<EtcdReport.NodeView> views = EtcdReport.ask(kilnconfig, Demo.controlPlaneNodes(env, machines));
        assertEquals(3, views.size());
        Set<Long> clusterIds = new HashSet<>();
        Set<Long> memberIds = null;
        for (EtcdReport.NodeView view : views) {
            assertTrue(view.answered(), view.node() + ": " + view.error());
            assertEquals(3, view.members().size(), view.node() + " members " + view.members());
            assertFalse(view.members().stream().anyMatch(EtcdMember::getIsLearner), view.node() + " has a learner");
            Set<Long> ids = new HashSet<>();
            view.members().forEach(m -> ids.add(m.getId()));
            if (memberIds == null) {
                memberIds = ids;
            }
            assertEquals(memberIds, ids, view.node() + " sees other members");
            assertFalse(view.status().getIsLearner(), view.node() + " is a learner");
            clusterIds.add(view.status().getClusterId());
        }
        assertEquals(1, clusterIds.size(), "etcd cluster IDs " + clusterIds);
        return clusterIds.iterator().next();
    }

    /**
     * From the nodes' disks: the node of {@code machine} bootstrapped etcd cluster {@code clusterId} once and only
     * it; every other node joined that cluster.
     */
    static void assertOnlyNodeBootstrapped(LocalEnvironment env, String machine, long clusterId) {
        Machine recorded = clusterMachines(env.client()).stream()
                .filter(m -> m.getMetadata().getName().equals(machine)).findFirst().orElseThrow();
        String server = Demo.address(env, recorded);
        String clusterHex = Long.toHexString(clusterId);
        for (EtcdHistory history : EtcdHistory.of(env.machines())) {
            if (env.machines().byAddress(server).name().equals(history.server())) {
                assertEquals("BOOTSTRAPPED", history.origin(), history.toString());
                assertEquals(List.of(clusterHex), history.bootstrapLines().stream()
                        .map(line -> line.substring(line.lastIndexOf(' ') + 1)).toList(), history.toString());
            } else {
                assertEquals("JOINED", history.origin(), history.toString());
                assertTrue(history.bootstrapLines().isEmpty(), history.toString());
            }
            assertEquals(clusterHex, history.clusterId(), history.toString());
        }
    }
}
