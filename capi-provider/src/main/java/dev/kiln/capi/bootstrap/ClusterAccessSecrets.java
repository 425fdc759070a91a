package dev.kiln.capi.bootstrap;

import dev.kiln.capi.cluster.CachedReads;
import dev.kiln.capi.cluster.ClusterLookup;
import dev.kiln.capi.cluster.KilnLabels;
import dev.kiln.capi.cluster.MachineNodes;
import dev.kiln.capi.core.v1beta1.Cluster;
import dev.kiln.capi.core.v1beta1.Machine;
import dev.kiln.machinery.clientconfig.KilnConfig;
import dev.kiln.machinery.clientconfig.KilnContext;
import dev.kiln.machinery.pki.SecretsBundle;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The cluster-wide Secrets a user needs to reach a cluster: {@code <cluster>-ca} (the Kubernetes CA) and
 * {@code <cluster>-kilnconfig} (an {@code os:admin} client config for the machine API). Both are created if absent
 * and never rewritten, so every KilnConfig of the cluster may call this on every pass.
 */
final class ClusterAccessSecrets {

    static final String KILNCONFIG_KEY = "kilnconfig";
    static final String TLS_CRT = "tls.crt";
    static final String TLS_KEY = "tls.key";

    private final KubernetesClient client;
    private final ClusterLookup clusters;
    private final MachineNodes nodes;

    ClusterAccessSecrets(KubernetesClient client, ClusterLookup clusters, MachineNodes nodes) {
        this.client = client;
        this.clusters = clusters;
        this.nodes = nodes;
    }

    void ensureCa(CachedReads<Secret> secrets, Cluster cluster, SecretsBundle bundle) {
        String name = KilnLabels.caSecretName(cluster.getMetadata().getName());
        if (exists(secrets, cluster, name)) {
            return;
        }
        createIfAbsent(cluster, name, Map.of(
                TLS_CRT, base64(bundle.k8s().certificatePem()),
                TLS_KEY, base64(bundle.k8s().keyPem())));
    }

    /**
     * Writes the client config once some address of the cluster is known.
     *
     * @return false when no address is known yet, so nothing was written
     */
    boolean ensureKilnconfig(CachedReads<Secret> secrets, Cluster cluster, SecretsBundle bundle,
            Optional<String> endpointHost) {
        String name = KilnLabels.kilnconfigSecretName(cluster.getMetadata().getName());
        if (exists(secrets, cluster, name)) {
            return true;
        }
        List<String> endpoints = controlPlaneAddresses(cluster);
        if (endpoints.isEmpty()) {
            endpoints = endpointHost.map(List::of).orElse(List.of());
        }
        if (endpoints.isEmpty()) {
            return false;
        }
        // Issuing a client certificate is the costly part, so it happens only once the Secret is known to be absent.
        KilnConfig kilnconfig = KilnConfig.of(cluster.getMetadata().getName(), KilnContext.forAdmin(bundle, endpoints));
        createIfAbsent(cluster, name, Map.of(KILNCONFIG_KEY, base64(kilnconfig.toYaml())));
        return true;
    }

    private List<String> controlPlaneAddresses(Cluster cluster) {
        return clusters.controlPlaneMachines(cluster).stream()
                .filter(machine -> !machine.isDeleting())
                .sorted(Comparator.comparing((Machine m) -> m.getMetadata().getName()))
                .map(nodes::node)
                .flatMap(Optional::stream)
                .map(MachineNodes.MachineNode::apiAddress)
                .filter(address -> address != null && !address.isBlank())
                .toList();
    }

    private static boolean exists(CachedReads<Secret> secrets, Cluster cluster, String name) {
        return secrets.get(cluster.getMetadata().getNamespace(), name).isPresent();
    }

    private void createIfAbsent(Cluster cluster, String name, Map<String, String> data) {
        Secret secret = new SecretBuilder()
                .withNewMetadata()
                    .withName(name)
                    .withNamespace(cluster.getMetadata().getNamespace())
                    .withLabels(KilnLabels.forCluster(cluster.getMetadata().getName()))
                    .withOwnerReferences(KilnLabels.ownedBy(cluster, false))
                .endMetadata()
                .withType(KilnLabels.SECRET_TYPE)
                .withData(data)
                .build();
        try {
            client.secrets().inNamespace(cluster.getMetadata().getNamespace()).resource(secret).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
        }
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
