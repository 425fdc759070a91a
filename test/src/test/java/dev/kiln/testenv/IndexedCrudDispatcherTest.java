package dev.kiln.testenv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The indexed dispatcher answers exactly as fabric8's scanning one: the same requests go to a mock with each, and
 * every answer (objects, lists and their order, resourceVersions, generations, status codes) and every watch event
 * must be equal, but for the uids and timestamps each mock makes up.
 */
class IndexedCrudDispatcherTest {

    private static final ResourceDefinitionContext WIDGETS = new ResourceDefinitionContext.Builder()
            .withGroup("example.dev").withVersion("v1").withKind("Widget").withPlural("widgets").withNamespaced(true)
            .build();

    private final List<KubernetesMockServer> servers = new ArrayList<>();
    private final List<Watch> watches = new ArrayList<>();
    private KubernetesClient scanning;
    private KubernetesClient indexed;
    private IndexedCrudDispatcher indexedDispatcher;

    @BeforeEach
    void start() {
        scanning = start(new KubernetesCrudDispatcher());
        indexedDispatcher = new IndexedCrudDispatcher();
        indexed = start(indexedDispatcher);
    }

    private KubernetesClient start(KubernetesCrudDispatcher dispatcher) {
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                dispatcher, false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        servers.add(server);
        return server.createClient();
    }

    @AfterEach
    void stop() {
        watches.forEach(Watch::close);
        scanning.close();
        indexed.close();
        servers.forEach(KubernetesMockServer::destroy);
    }

    /** Runs {@code request} against both mocks and checks the answers are the same; returns the indexed one's. */
    private String same(Function<KubernetesClient, Object> request) {
        String expected = outcome(() -> request.apply(scanning));
        String actual = outcome(() -> request.apply(indexed));
        assertEquals(expected, actual);
        return actual;
    }

    private static String outcome(Supplier<Object> request) {
        try {
            Object answer = request.get();
            if (answer instanceof KubernetesResourceList<?> list) {
                return "list at " + list.getMetadata().getResourceVersion() + ": " + normalized(list.getItems());
            }
            return answer == null ? "null" : normalized(answer);
        } catch (KubernetesClientException e) {
            return "refused with " + e.getCode();
        }
    }

    private static String normalized(Object answer) {
        return Serialization.asJson(answer)
                .replaceAll("\"uid\":\"[^\"]*\"", "\"uid\":\"U\"")
                .replaceAll("\"(creationTimestamp|deletionTimestamp)\":\"[^\"]*\"", "\"$1\":\"T\"");
    }

    private static ConfigMap configMap(String namespace, String name, Map<String, String> labels) {
        return new ConfigMapBuilder().withNewMetadata().withNamespace(namespace).withName(name).withLabels(labels)
                .endMetadata().addToData("k", name).build();
    }

    private void createConfigMaps() {
        same(c -> c.resource(configMap("one", "a", Map.of("app", "x", "tier", "web"))).create());
        same(c -> c.resource(configMap("one", "b", Map.of("app", "y"))).create());
        same(c -> c.resource(configMap("one", "c", Map.of("app", "x"))).create());
        same(c -> c.resource(configMap("two", "a", Map.of("app", "x"))).create());
        same(c -> c.resource(configMap("two", "d", Map.of())).create());
    }

    @Test
    void getsAndListsAnswerAsTheScanningMock() {
        createConfigMaps();
        assertTrue(same(c -> c.configMaps().inNamespace("one").withName("a").get()).contains("\"tier\":\"web\""));
        same(c -> c.configMaps().inNamespace("two").withName("b").get());
        same(c -> c.configMaps().inNamespace("three").withName("a").get());
        assertTrue(same(c -> c.configMaps().inNamespace("one").list()).contains("\"name\":\"c\""));
        same(c -> c.configMaps().inAnyNamespace().list());
        same(c -> c.configMaps().inNamespace("nowhere").list());
        same(c -> c.secrets().inAnyNamespace().list());
    }

    @Test
    void selectorsAnswerAsTheScanningMock() {
        createConfigMaps();
        same(c -> c.configMaps().inAnyNamespace().withLabel("app", "x").list());
        same(c -> c.configMaps().inNamespace("one").withLabelNotIn("app", "x").list());
        same(c -> c.configMaps().inNamespace("one").withoutLabel("app", "x").list());
        same(c -> c.configMaps().inAnyNamespace().withLabel("tier").list());
        same(c -> c.configMaps().inAnyNamespace().withoutLabel("tier").list());
        same(c -> c.configMaps().inAnyNamespace().withField("metadata.name", "a").list());
        same(c -> c.configMaps().inAnyNamespace().withField("metadata.namespace", "two").list());
        same(c -> c.configMaps().inAnyNamespace().withoutField("metadata.name", "a").withLabel("app", "x").list());
    }

    @Test
    void createsOfAnExistingNameAndStaleUpdatesAreRefusedAlike() {
        createConfigMaps();
        assertEquals("refused with 409", same(c -> c.resource(configMap("one", "a", Map.of())).create()));
        ConfigMap stale = configMap("one", "b", Map.of("app", "z"));
        stale.getMetadata().setResourceVersion("1");
        assertEquals("refused with 409", same(c -> c.resource(stale).update()));
        same(c -> c.configMaps().inNamespace("one").withName("b").edit(cm -> {
            cm.getMetadata().getLabels().put("app", "z");
            return cm;
        }));
        // the store keeps objects in order of their last write, and lists follow it
        same(c -> c.configMaps().inAnyNamespace().list());
        same(c -> c.configMaps().inAnyNamespace().withLabel("app", "y").list());
        same(c -> c.configMaps().inAnyNamespace().withLabel("app", "z").list());
    }

    @Test
    void patchesOfEachTypeAnswerAsTheScanningMock() {
        createConfigMaps();
        same(c -> c.configMaps().inNamespace("one").withName("c").patch(
                PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"labels\":{\"app\":\"w\"}},\"data\":{\"k\":\"v\"}}"));
        same(c -> c.configMaps().inNamespace("one").withName("c").patch(
                PatchContext.of(PatchType.JSON), "[{\"op\":\"add\",\"path\":\"/data/m\",\"value\":\"n\"}]"));
        same(c -> c.configMaps().inNamespace("one").withName("missing").patch(
                PatchContext.of(PatchType.JSON_MERGE), "{\"data\":{\"k\":\"v\"}}"));
        same(c -> c.configMaps().inAnyNamespace().withLabel("app", "w").list());
        same(c -> c.configMaps().inAnyNamespace().withLabel("app", "x").list());
    }

    @Test
    void theStatusSubresourceAndGenerationsAnswerAsTheScanningMock() {
        same(c -> c.resource(widgetCrd()).create());
        assertFalse(same(c -> c.genericKubernetesResources(WIDGETS).inNamespace("one").resource(widget(1)).create())
                .contains("\"phase\""));
        assertTrue(same(c -> c.genericKubernetesResources(WIDGETS).inNamespace("one").resource(widget(1)).updateStatus())
                .contains("\"phase\":\"Ready\""));
        same(c -> c.genericKubernetesResources(WIDGETS).inNamespace("one").withName("w").edit(w -> {
            w.getAdditionalProperties().put("spec", Map.of("size", 2));
            return w;
        }));
        same(c -> c.genericKubernetesResources(WIDGETS).inNamespace("one").withName("w").editStatus(w -> {
            w.getAdditionalProperties().put("status", Map.of("phase", "Gone"));
            return w;
        }));
        same(c -> c.genericKubernetesResources(WIDGETS).inNamespace("one").list());
        same(c -> c.genericKubernetesResources(WIDGETS).inAnyNamespace().list());
    }

    @Test
    void deletionWaitsForFinalizersAsInTheScanningMock() {
        createConfigMaps();
        same(c -> c.configMaps().inNamespace("one").withName("a").edit(cm -> {
            cm.getMetadata().setFinalizers(List.of("example.dev/hold"));
            return cm;
        }));
        same(c -> c.configMaps().inNamespace("one").withName("a").delete());
        assertTrue(same(c -> c.configMaps().inNamespace("one").withName("a").get()).contains("\"deletionTimestamp\""));
        same(c -> c.configMaps().inNamespace("one").withName("a").delete());
        same(c -> c.configMaps().inNamespace("one").withName("a").edit(cm -> {
            cm.getMetadata().setFinalizers(List.of());
            return cm;
        }));
        assertEquals("null", same(c -> c.configMaps().inNamespace("one").withName("a").get()));
        same(c -> c.configMaps().inNamespace("one").withName("a").delete());
        same(c -> c.configMaps().inAnyNamespace().withLabel("app", "x").delete());
        same(c -> c.configMaps().inAnyNamespace().list());
    }

    @Test
    void watchesSeeTheSameEventsAsOnTheScanningMock() throws Exception {
        List<String> scanningEvents = new ArrayList<>();
        List<String> indexedEvents = new ArrayList<>();
        watch(scanning, scanningEvents, null);
        watch(indexed, indexedEvents, null);
        createConfigMaps();
        same(c -> c.configMaps().inNamespace("one").withName("b").edit(cm -> {
            cm.getMetadata().getLabels().put("app", "x");
            return cm;
        }));
        same(c -> c.configMaps().inNamespace("one").withName("a").edit(cm -> {
            cm.getMetadata().getLabels().put("app", "y");
            return cm;
        }));
        same(c -> c.configMaps().inNamespace("two").withName("a").delete());
        // a watch from a resourceVersion: the mock replays what exists as ADDED, whatever the version
        List<String> lateScanning = new ArrayList<>();
        List<String> lateIndexed = new ArrayList<>();
        watch(scanning, lateScanning, "3");
        watch(indexed, lateIndexed, "3");
        same(c -> c.configMaps().inNamespace("one").withName("c").delete());

        awaitEqual(scanningEvents, indexedEvents, 7);
        awaitEqual(lateScanning, lateIndexed, 3);
        assertEquals(0, indexedDispatcher.rebuilds());
    }

    private void watch(KubernetesClient client, List<String> events, String resourceVersion) {
        watches.add(client.configMaps().inAnyNamespace().withLabel("app", "x").withResourceVersion(resourceVersion)
                .watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, ConfigMap resource) {
                synchronized (events) {
                    events.add(action + " " + resource.getMetadata().getNamespace() + "/"
                            + resource.getMetadata().getName() + " at " + resource.getMetadata().getResourceVersion());
                }
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        }));
    }

    private static void awaitEqual(List<String> expected, List<String> actual, int atLeast)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline && (size(expected) < atLeast || size(actual) < size(expected))) {
            Thread.sleep(50);
        }
        synchronized (expected) {
            synchronized (actual) {
                assertTrue(expected.size() >= atLeast, "scanning mock's events: " + expected);
                assertEquals(expected, actual);
            }
        }
    }

    private static int size(List<String> events) {
        synchronized (events) {
            return events.size();
        }
    }

    private static CustomResourceDefinition widgetCrd() {
        return new CustomResourceDefinitionBuilder().withNewMetadata().withName("widgets.example.dev").endMetadata()
                .withNewSpec().withGroup("example.dev").withScope("Namespaced")
                .withNewNames().withKind("Widget").withPlural("widgets").withSingular("widget").endNames()
                .addNewVersion().withName("v1").withServed(true).withStorage(true)
                .withNewSubresources().withNewStatus().endStatus().endSubresources()
                .withNewSchema().withNewOpenAPIV3Schema().withType("object")
                .withXKubernetesPreserveUnknownFields(true).endOpenAPIV3Schema().endSchema()
                .endVersion().endSpec().build();
    }

    private static GenericKubernetesResource widget(int size) {
        return new GenericKubernetesResourceBuilder().withApiVersion("example.dev/v1").withKind("Widget")
                .withNewMetadata().withName("w").withNamespace("one").endMetadata()
                .withAdditionalProperties(Map.of("spec", Map.of("size", size), "status", Map.of("phase", "Ready")))
                .build();
    }
}
