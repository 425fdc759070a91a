package dev.kiln.capi.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.capi.core.v1beta1.Machine;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class CachedReadsTest {

    private static final String NS = "default";

    KubernetesClient client;
    KubernetesMockServer server;

    @Test
    void anObjectTheCacheHoldsIsReadWithoutARequest() {
        client.resource(secret("bundle", "stored")).create();
        var reads = CachedReads.from(client, Secret.class, new FixedCache<>(List.of(secret("bundle", "cached"))));
        int before = server.getRequestCount();

        Optional<Secret> found = reads.get(NS, "bundle");

        assertEquals("cached", found.orElseThrow().getMetadata().getLabels().get("copy"));
        assertEquals(before, server.getRequestCount());
    }

    @Test
    void anObjectTheCacheLacksIsReadLive() {
        client.resource(secret("bundle", "stored")).create();
        var reads = CachedReads.from(client, Secret.class, new FixedCache<Secret>(List.of()));

        Optional<Secret> found = reads.get(NS, "bundle");

        assertEquals("stored", found.orElseThrow().getMetadata().getLabels().get("copy"));
    }

    @Test
    void anObjectNeitherCachedNorStoredIsNotFound() {
        var reads = CachedReads.from(client, Secret.class, new FixedCache<Secret>(List.of()));

        assertEquals(Optional.empty(), reads.get(NS, "absent"));
    }

    @Test
    void aCachedListingKeepsOnlyTheNamespaceLabelsAndFilterAsked() {
        List<Machine> held = List.of(machine("a", NS, Map.of("cluster", "c1", "cp", "")),
                machine("b", NS, Map.of("cluster", "c2", "cp", "")), machine("c", NS, Map.of("cluster", "c1")),
                machine("d", "elsewhere", Map.of("cluster", "c1", "cp", "")),
                machine("e", NS, Map.of("cluster", "c1", "cp", "")));
        var reads = CachedReads.from(client, Machine.class, new FixedCache<>(held));

        List<Machine> found = reads.list(NS, Map.of("cluster", "c1"), Set.of("cp"),
                m -> !m.getMetadata().getName().equals("e"));

        assertEquals(List.of("a"), found.stream().map(m -> m.getMetadata().getName()).toList());
    }

    @Test
    void aLiveListingKeepsOnlyTheNamespaceLabelsAndFilterAsked() {
        List.of(machine("a", NS, Map.of("cluster", "c1", "cp", "")), machine("b", NS, Map.of("cluster", "c2", "cp", "")),
                machine("c", NS, Map.of("cluster", "c1")), machine("d", "elsewhere", Map.of("cluster", "c1", "cp", "")),
                machine("e", NS, Map.of("cluster", "c1", "cp", ""))).forEach(m -> client.resource(m).create());
        var reads = CachedReads.live(client, Machine.class);

        List<Machine> found = reads.list(NS, Map.of("cluster", "c1"), Set.of("cp"),
                m -> !m.getMetadata().getName().equals("e"));

        assertEquals(List.of("a"), found.stream().map(m -> m.getMetadata().getName()).toList());
    }

    private static Secret secret(String name, String copy) {
        return new SecretBuilder().withNewMetadata().withName(name).withNamespace(NS).withLabels(Map.of("copy", copy))
                .endMetadata().build();
    }

    private static Machine machine(String name, String namespace, Map<String, String> labels) {
        Machine machine = new Machine();
        machine.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).withLabels(labels).build());
        return machine;
    }
}
