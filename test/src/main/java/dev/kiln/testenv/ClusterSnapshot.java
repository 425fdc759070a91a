package dev.kiln.testenv;

import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachine;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnServer;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnServerStatus;
import dev.kiln.capi.core.v1beta1.Machine;
import dev.kiln.machinery.api.machine.EtcdMember;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a running cluster is made of, compared whole to tell that a change touched nothing (test support): its
 * Machines, the servers' claims, etcd as each control-plane node reports it, each node's stored config and the
 * node-init process running it (a reboot or reset would change it).
 *
 * @param machines     Machine name to uid, providerID and whether it is deleting
 * @param kilnMachines KilnMachine name to uid, providerID and whether it is deleting
 * @param servers      KilnServer name to in use, clean and the claiming KilnMachine
 * @param claims       the server claim ConfigMaps
 * @param members      etcd member IDs (hex) seen by any control-plane node
 * @param etcdByNode   control-plane node to the members it reports (learners marked), or why it did not answer
 * @param nodeConfigs  server to the SHA-256 of the config on its disk (STATE/config.yaml), or "none"
 * @param nodeInitPids server to the pid of its node-init process
 */
public record ClusterSnapshot(Map<String, String> machines, Map<String, String> kilnMachines,
        Map<String, String> servers, Set<String> claims, Set<String> members, Map<String, String> etcdByNode,
        Map<String, String> nodeConfigs, Map<String, Long> nodeInitPids) {

    private static final int ETCD_ASKS = 3;

    public static ClusterSnapshot take(LocalEnvironment env) {
        KubernetesClient client = env.client();
        String namespace = LocalEnvironment.NAMESPACE;
        List<Machine> machineList = client.resources(Machine.class).inNamespace(namespace).list().getItems();
        Map<String, String> machines = new TreeMap<>();
        for (Machine machine : machineList) {
            machines.put(machine.getMetadata().getName(), machine.getMetadata().getUid() + " "
                    + machine.getSpec().getProviderID() + (machine.isDeleting() ? " deleting" : ""));
        }
        Map<String, String> kilnMachines = new TreeMap<>();
        for (KilnMachine machine : client.resources(KilnMachine.class).inNamespace(namespace).list().getItems()) {
            kilnMachines.put(machine.getMetadata().getName(), machine.getMetadata().getUid() + " "
                    + (machine.getSpec() == null ? null : machine.getSpec().getProviderId())
                    + (machine.getMetadata().getDeletionTimestamp() == null ? "" : " deleting"));
        }
        Map<String, String> servers = new TreeMap<>();
        for (KilnServer server : client.resources(KilnServer.class).inNamespace(namespace).list().getItems()) {
            KilnServerStatus status = server.getStatus();
            servers.put(server.getMetadata().getName(), status == null ? "no status" : "inUse=" + status.getInUse()
                    + " clean=" + status.getClean() + " machine="
                    + (status.getMachineRef() == null ? null : status.getMachineRef().getName()));
        }
        Set<String> claims = new TreeSet<>();
        for (ConfigMap map : client.configMaps().inNamespace(namespace).list().getItems()) {
            if (map.getMetadata().getName().startsWith("kiln-claim-")) {
                claims.add(map.getMetadata().getName());
            }
        }
        Set<String> members = new TreeSet<>();
        Map<String, String> etcdByNode = new TreeMap<>();
        String kilnconfig = EtcdReport.kilnconfig(client, namespace, Demo.CLUSTER).orElse(null);
        for (String node : Demo.controlPlaneNodes(env, machineList)) {
            etcdByNode.put(node, kilnconfig == null ? "no kilnconfig Secret" : etcdView(kilnconfig, node, members));
        }
        Map<String, String> nodeConfigs = new TreeMap<>();
        Map<String, Long> nodeInitPids = new TreeMap<>();
        for (Machines.Machine machine : env.machines().list()) {
            nodeConfigs.put(machine.name(), configHash(machine.root().resolve("STATE/config.yaml")));
            nodeInitPids.put(machine.name(), machine.launcher().descendants()
                    .filter(p -> p.info().command().orElse("").endsWith("java")).findFirst()
                    .map(ProcessHandle::pid).orElse(-1L));
        }
        return new ClusterSnapshot(machines, kilnMachines, servers, claims, members, etcdByNode, nodeConfigs, nodeInitPids);
    }

    /** A node under load may miss one deadline; only one that keeps failing is reported as not answering. */
    private static String etcdView(String kilnconfig, String node, Set<String> members) {
        EtcdReport.NodeView view = null;
        for (int ask = 0; ask < ETCD_ASKS && (view == null || !view.answered()); ask++) {
            view = EtcdReport.ask(kilnconfig, List.of(node)).get(0);
        }
        if (!view.answered()) {
            return "no answer: " + view.error();
        }
        Set<String> reported = new TreeSet<>();
        for (EtcdMember member : view.members()) {
            String id = Long.toHexString(member.getId());
            members.add(id);
            reported.add(id + (member.getIsLearner() ? " (learner)" : ""));
        }
        return String.join(",", reported);
    }

    private static String configHash(Path config) {
        if (!Files.exists(config)) {
            return "none";
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(config)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
