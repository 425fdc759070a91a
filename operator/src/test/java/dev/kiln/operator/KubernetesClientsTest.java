package dev.kiln.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The operator's own client to the management cluster: its threads, against fabric8's CRUD mock server. */
@EnableKubernetesMockClient(https = false, crud = true)
class KubernetesClientsTest {

    private static final String NAMESPACE = "kiln-threads";

    KubernetesMockServer server;

    private KubernetesClient create() {
        return KubernetesClients.create(new OperatorSettings(Optional.empty(), false, Optional.empty(),
                OperatorSettings.DEFAULT_LEASE_NAME, false, 0, 0, "kiln-operator-test", Optional.empty(),
                Optional.of(server.url("/"))));
    }

    private static List<String> threadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.startsWith(prefix)).toList();
    }

    private static void awaitNone(String prefix) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!threadsNamed(prefix).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(List.of(), threadsNamed(prefix), "threads left after the client closed");
    }

    @Test
    void manyRequestsAtOnceShareAFewNamedThreadsThatEndWithTheClient() throws Exception {
        KubernetesClient client = create();
        ExecutorService callers = Executors.newFixedThreadPool(40);
        try {
            List<CompletableFuture<ConfigMap>> created = IntStream.range(0, 200)
                    .mapToObj(i -> CompletableFuture.supplyAsync(() -> client.configMaps().inNamespace(NAMESPACE)
                            .resource(new ConfigMapBuilder().withNewMetadata().withName("cm-" + i).endMetadata()
                                    .addToData("i", Integer.toString(i)).build())
                            .create(), callers))
                    .toList();
            created.forEach(CompletableFuture::join);
            assertEquals(200, client.configMaps().inNamespace(NAMESPACE).list().getItems().size());
            List<String> http = threadsNamed("kiln-k8s-http-");
            assertTrue(!http.isEmpty() && http.size() <= KubernetesClients.THREADS,
                    "40 callers at once are answered on at most " + KubernetesClients.THREADS + " threads: " + http);
        } finally {
            callers.shutdownNow();
            client.close();
        }
        awaitNone("kiln-k8s-http-");
    }

    @Test
    void informerEventsReachTheirHandlerOnTheClientsInformerThreads() throws Exception {
        KubernetesClient client = create();
        CompletableFuture<String> handledOn = new CompletableFuture<>();
        try {
            client.configMaps().inNamespace(NAMESPACE).inform(new ResourceEventHandler<>() {
                @Override
                public void onAdd(ConfigMap configMap) {
                    handledOn.complete(Thread.currentThread().getName());
                }

                @Override
                public void onUpdate(ConfigMap before, ConfigMap after) {
                }

                @Override
                public void onDelete(ConfigMap configMap, boolean deletedFinalStateUnknown) {
                }
            });
            client.configMaps().inNamespace(NAMESPACE)
                    .resource(new ConfigMapBuilder().withNewMetadata().withName("watched").endMetadata().build())
                    .create();
            String thread = handledOn.get(10, TimeUnit.SECONDS);
            assertTrue(thread.startsWith("kiln-k8s-informer-"), "handled on " + thread);
        } finally {
            client.close();
        }
        awaitNone("kiln-k8s-informer-");
    }
}
