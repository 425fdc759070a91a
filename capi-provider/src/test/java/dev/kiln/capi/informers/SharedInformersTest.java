package dev.kiln.capi.informers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.capi.cluster.SecondaryIndex;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.EventHandler;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Informers shared by event sources, against the management API stand-in (fabric8's CRUD mock server). */
@EnableKubernetesMockClient(crud = true)
class SharedInformersTest {

    static KubernetesClient client;

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final List<SharedInformerEventSource<ConfigMap, ConfigMap>> started = new ArrayList<>();

    @AfterEach
    void stopAll() {
        started.forEach(SharedInformerEventSource::stop);
        client.configMaps().inNamespace("default").delete();
    }

    @Test
    void twoEventSourcesOfOneKindAndSelectorShareOneInformer() {
        SharedInformers informers = new SharedInformers(client);
        Woken first = new Woken();
        Woken second = new Woken();
        var a = start(informers, waking("app=kiln"), first);
        var b = start(informers, waking("app=kiln"), second);

        create("one", Map.of("app", "kiln"));

        assertEquals(1, informers.running());
        await(() -> first.named("one") && second.named("one"), "both sources woken for one");
        assertTrue(a.get(new ResourceID("one", "default")).isPresent());
        assertTrue(b.get(new ResourceID("one", "default")).isPresent());
    }

    @Test
    void aDifferentLabelSelectorGetsAnInformerOfItsOwn() {
        SharedInformers informers = new SharedInformers(client);
        Woken all = new Woken();
        var everything = start(informers, waking(null), all);
        var kilnOnly = start(informers, waking("app=kiln"), new Woken());

        create("other", Map.of("app", "other"));
        create("kiln", Map.of("app", "kiln"));
        // the watch delivers in order: once kiln is cached, other was passed over
        await(() -> all.named("other") && kilnOnly.get(new ResourceID("kiln", "default")).isPresent(),
                "other in the unfiltered cache and kiln in the selected one");

        assertEquals(2, informers.running());
        assertTrue(everything.get(new ResourceID("other", "default")).isPresent());
        assertFalse(kilnOnly.get(new ResourceID("other", "default")).isPresent());
    }

    @Test
    void theInformerStopsWithItsLastEventSourceAndNotBefore() {
        SharedInformers informers = new SharedInformers(client);
        Woken kept = new Woken();
        var leaving = start(informers, waking("app=kiln"), new Woken());
        start(informers, waking("app=kiln"), kept);

        leaving.stop();
        create("after", Map.of("app", "kiln"));

        await(() -> kept.named("after"), "the remaining source woken for after");
        assertEquals(1, informers.running());
        started.forEach(SharedInformerEventSource::stop);
        assertEquals(0, informers.running());
    }

    @Test
    void aCacheOnlySourceWakesNobodyWhileTheOneBesideItDoes() {
        SharedInformers informers = new SharedInformers(client);
        Woken quiet = new Woken();
        Woken loud = new Woken();
        List<String> consulted = new CopyOnWriteArrayList<>();
        var cacheOnly = start(informers, SecondaryIndex.cacheOnly(ConfigMap.class, ConfigMap.class)
                .withLabelSelector("app=kiln")
                .withOnAddFilter(added -> consulted.add(added.getMetadata().getName()) && false)
                .build(), quiet);
        start(informers, waking("app=kiln"), loud);

        create("seen", Map.of("app", "kiln"));

        await(() -> loud.named("seen") && consulted.contains("seen"), "both sources handed seen");
        assertTrue(cacheOnly.get(new ResourceID("seen", "default")).isPresent());
        assertTrue(quiet.events.isEmpty(), "the cache-only source woke " + quiet.events);
    }

    @Test
    void aSourceStartedLateIsWokenForWhatTheInformerAlreadyHolds() {
        SharedInformers informers = new SharedInformers(client);
        Woken early = new Woken();
        start(informers, waking("app=kiln"), early);
        create("before", Map.of("app", "kiln"));
        await(() -> early.named("before"), "the early source woken for before");

        Woken late = new Woken();
        var lateSource = start(informers, waking("app=kiln"), late);

        await(() -> late.named("before"), "the late source woken for before");
        assertTrue(lateSource.get(new ResourceID("before", "default")).isPresent());
        assertEquals(1, informers.running());
    }

    /** Every ConfigMap wakes the primary of its own name. */
    private static InformerEventSourceConfiguration<ConfigMap> waking(String selector) {
        return SecondaryIndex.informer(ConfigMap.class, ConfigMap.class)
                .withLabelSelector(selector)
                .withSecondaryToPrimaryMapper((ConfigMap map) -> Set.of(ResourceID.fromResource(map)))
                .build();
    }

    private SharedInformerEventSource<ConfigMap, ConfigMap> start(SharedInformers informers,
            InformerEventSourceConfiguration<ConfigMap> configuration, Woken woken) {
        var source = new SharedInformerEventSource<ConfigMap, ConfigMap>(informers, configuration,
                List.of(new SharedInformers.Key(ConfigMap.class, Optional.of("default"),
                        Optional.ofNullable(configuration.getInformerConfig().getLabelSelector()))));
        source.setEventHandler(woken);
        source.start();
        started.add(source);
        return source;
    }

    private static void create(String name, Map<String, String> labels) {
        client.resource(new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace("default")
                .withLabels(labels).endMetadata().build()).create();
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + WAIT + ": " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private static final class Woken implements EventHandler {

        final List<ResourceID> events = new CopyOnWriteArrayList<>();

        @Override
        public void handleEvent(Event event) {
            events.add(event.getRelatedCustomResourceID());
        }

        boolean named(String name) {
            return events.stream().anyMatch(id -> id.getName().equals(name));
        }
    }
}
