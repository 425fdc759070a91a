package dev.kiln.capi.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.Cache;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Reads of one kind from the informer a reconciler registers for it, live where the informer does not hold the object:
 * an informer not yet synced, or lagging a create, never makes an object that exists look missing.
 */
public final class CachedReads<T extends HasMetadata> {

    private final KubernetesClient client;
    private final Class<T> type;
    private final Optional<Cache<T>> cache;

    private CachedReads(KubernetesClient client, Class<T> type, Optional<Cache<T>> cache) {
        this.client = client;
        this.type = type;
        this.cache = cache;
    }

    /** Every read live. */
    public static <T extends HasMetadata> CachedReads<T> live(KubernetesClient client, Class<T> type) {
        return new CachedReads<>(client, type, Optional.empty());
    }

    /** Through the one informer of {@code type} the reconciler of {@code context} registers. */
    public static <T extends HasMetadata> CachedReads<T> informer(KubernetesClient client, Class<T> type,
            Context<?> context) {
        EventSource<T, ?> source = context.eventSourceRetriever().getEventSourceFor(type);
        if (!(source instanceof Cache<?>)) {
            throw new IllegalStateException("the event source for " + type.getSimpleName() + ", " + source.name()
                    + ", keeps no cache");
        }
        @SuppressWarnings("unchecked")
        Cache<T> cache = (Cache<T>) source;
        return from(client, type, cache);
    }

    /** Through {@code cache}, live where it misses. */
    public static <T extends HasMetadata> CachedReads<T> from(KubernetesClient client, Class<T> type, Cache<T> cache) {
        return new CachedReads<>(client, type, Optional.of(cache));
    }

    /** The object from the informer, else from the server; empty only when the server has none either. */
    public Optional<T> get(String namespace, String name) {
        Optional<T> cached = cache.flatMap(c -> c.get(new ResourceID(name, namespace)));
        return cached.isPresent() ? cached
                : Optional.ofNullable(client.resources(type).inNamespace(namespace).withName(name).get());
    }

    /**
     * The objects of {@code namespace} whose labels hold {@code equal} and carry every key of {@code present}, and that
     * pass {@code filter}: from the informer when there is one (its own label selector must include these), else live.
     */
    public List<T> list(String namespace, Map<String, String> equal, Set<String> present, Predicate<T> filter) {
        if (cache.isPresent()) {
            return cache.get().list(object -> Objects.equals(namespace, object.getMetadata().getNamespace())
                    && labelled(object, equal, present) && filter.test(object)).toList();
        }
        var selected = client.resources(type).inNamespace(namespace).withLabels(equal);
        for (String key : present) {
            selected = selected.withLabel(key);
        }
        return selected.list().getItems().stream().filter(filter).toList();
    }

    /** Whether reads go through an informer. */
    public boolean cached() {
        return cache.isPresent();
    }

    private static boolean labelled(HasMetadata object, Map<String, String> equal, Set<String> present) {
        Map<String, String> labels = object.getMetadata().getLabels() == null ? Map.of()
                : object.getMetadata().getLabels();
        return labels.keySet().containsAll(present)
                && equal.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }
}
