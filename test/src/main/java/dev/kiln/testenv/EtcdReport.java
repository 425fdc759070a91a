package dev.kiln.testenv;

import dev.kiln.machinery.api.machine.EtcdMember;
import dev.kiln.machinery.api.machine.EtcdMemberStatus;
import dev.kiln.machinery.client.ClientCredentials;
import dev.kiln.machinery.client.MachineClient;
import dev.kiln.machinery.client.NodeAddress;
import dev.kiln.machinery.client.RetryPolicy;
import dev.kiln.machinery.clientconfig.KilnConfig;
import dev.kiln.machinery.clientconfig.KilnContext;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * etcd as the control-plane nodes report it over the machine API, asked with the cluster's admin kilnconfig (the
 * {@code <cluster>-kilnconfig} Secret). Never talks to etcd directly: no etcd client on this classpath.
 */
public final class EtcdReport {

    /** One node's view: its member list and its own status (null when it did not answer). */
    public record NodeView(String node, List<EtcdMember> members, EtcdMemberStatus status, String error) {

        public boolean answered() {
            return error == null;
        }
    }

    private EtcdReport() {
    }

    public static Optional<String> kilnconfig(KubernetesClient client, String namespace, String cluster) {
        Secret secret = client.secrets().inNamespace(namespace).withName(cluster + "-kilnconfig").get();
        if (secret == null || secret.getData() == null || !secret.getData().containsKey("kilnconfig")) {
            return Optional.empty();
        }
        return Optional.of(new String(Base64.getDecoder().decode(secret.getData().get("kilnconfig")),
                StandardCharsets.UTF_8));
    }

    public static Optional<String> kubeconfig(KubernetesClient client, String namespace, String cluster) {
        Secret secret = client.secrets().inNamespace(namespace).withName(cluster + "-kubeconfig").get();
        if (secret == null || secret.getData() == null || !secret.getData().containsKey("value")) {
            return Optional.empty();
        }
        return Optional.of(new String(Base64.getDecoder().decode(secret.getData().get("value")),
                StandardCharsets.UTF_8));
    }

    /** Removes an etcd member through a node (host:port), as {@code kilnctl etcd remove-member} does. */
    public static void removeMember(String kilnconfigYaml, String node, long memberId) {
        KilnContext context = KilnConfig.parse(kilnconfigYaml).current();
        ClientCredentials tls = new ClientCredentials.MutualTls(context.ca(), context.crt(), context.key());
        try (MachineClient client = MachineClient.connect(NodeAddress.parse(node), tls, Duration.ofSeconds(30),
                RetryPolicy.defaults())) {
            client.etcdRemoveMemberById(memberId);
        }
    }

    /** Asks each node (host:port) for its member list and status. */
    public static List<NodeView> ask(String kilnconfigYaml, List<String> nodes) {
        KilnContext context = KilnConfig.parse(kilnconfigYaml).current();
        ClientCredentials tls = new ClientCredentials.MutualTls(context.ca(), context.crt(), context.key());
        List<NodeView> views = new ArrayList<>();
        for (String node : nodes) {
            try (MachineClient client = MachineClient.connect(NodeAddress.parse(node), tls, Duration.ofSeconds(5),
                    RetryPolicy.defaults())) {
                List<EtcdMember> members = client.etcdMemberList(false).getMembersList();
                EtcdMemberStatus status = client.etcdStatus();
                views.add(new NodeView(node, members, status, null));
            } catch (RuntimeException e) {
                views.add(new NodeView(node, List.of(), null, e.getMessage()));
            }
        }
        return views;
    }
}
