package dev.kiln.capi.informers;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.javaoperatorsdk.operator.api.config.informer.InformerConfiguration;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * The operator's informers: one per kind, namespace and label selector, however many reconcilers read it or are woken
 * by it. JOSDK 5.2 gives each event source an informer of its own, so Machines, KilnServers and Secrets were cached,
 * and every watch event of theirs decoded, three or four times. An informer starts with its first event source and
 * stops with its last.
 */
public final class SharedInformers {

    /** Which informer serves an event source: all namespaces when {@code namespace} is empty. */
    record Key(Class<? extends HasMetadata> type, Optional<String> namespace, Optional<String> labelSelector) {
    }

    private record Shared(SharedIndexInformer<?> informer, CompletableFuture<Void> synced, int users) {

        Shared withUsers(int count) {
            return new Shared(informer, synced, count);
        }
    }

    private final KubernetesClient client;
    private final BiConsumer<SharedIndexInformer<?>, Throwable> onFailure;
    private final Map<Key, Shared> informers = new HashMap<>();

    /**
     * @param onFailure told when an informer stops with an error, its watch gone for good (the operator's liveness)
     */
    public SharedInformers(KubernetesClient client, BiConsumer<SharedIndexInformer<?>, Throwable> onFailure) {
        this.client = client;
        this.onFailure = onFailure;
    }

    public SharedInformers(KubernetesClient client) {
        this(client, (informer, error) -> {
        });
    }

    /**
     * An event source over the shared informers of {@code configuration}'s kind and label selector in the namespaces
     * the reconciler of {@code context} watches, with its mapper and filters.
     */
    public <R extends HasMetadata, P extends HasMetadata> SharedInformerEventSource<R, P> eventSource(
            InformerEventSourceConfiguration<R> configuration, EventSourceContext<P> context) {
        InformerConfiguration<R> informer = configuration.getInformerConfig();
        Set<String> namespaces = informer.getEffectiveNamespaces(context.getControllerConfiguration());
        Optional<String> selector = Optional.ofNullable(informer.getLabelSelector()).filter(s -> !s.isBlank());
        List<Key> keys;
        if (InformerConfiguration.allNamespacesWatched(namespaces)) {
            keys = List.of(new Key(informer.getResourceClass(), Optional.empty(), selector));
        } else if (InformerConfiguration.currentNamespaceWatched(namespaces)) {
            keys = List.of(new Key(informer.getResourceClass(), Optional.of(client.getNamespace()), selector));
        } else {
            keys = namespaces.stream().sorted()
                    .map(namespace -> new Key(informer.getResourceClass(), Optional.of(namespace), selector)).toList();
        }
        return new SharedInformerEventSource<>(this, configuration, keys);
    }

    /** How many informers run now. */
    public synchronized int running() {
        return informers.size();
    }

    /** The informer of {@code key}, started by its first user; the caller waits for {@link #synced}. */
    synchronized <R extends HasMetadata> SharedIndexInformer<R> acquire(Key key) {
        Shared shared = informers.get(key);
        if (shared == null) {
            SharedIndexInformer<?> informer = create(key);
            informer.stopped().whenComplete((ignored, error) -> {
                if (error != null) {
                    onFailure.accept(informer, error);
                }
            });
            shared = new Shared(informer, informer.start().toCompletableFuture(), 0);
        }
        informers.put(key, shared.withUsers(shared.users() + 1));
        @SuppressWarnings("unchecked")
        SharedIndexInformer<R> typed = (SharedIndexInformer<R>) shared.informer();
        return typed;
    }

    /** Completes when the informer of {@code key} holds its first full list. */
    synchronized CompletableFuture<Void> synced(Key key) {
        Shared shared = informers.get(key);
        return shared == null ? CompletableFuture.failedFuture(new IllegalStateException(key + " is not acquired"))
                : shared.synced();
    }

    /** One user fewer; the last one stops the informer. */
    synchronized void release(Key key) {
        Shared shared = informers.get(key);
        if (shared == null) {
            return;
        }
        if (shared.users() > 1) {
            informers.put(key, shared.withUsers(shared.users() - 1));
            return;
        }
        informers.remove(key);
        shared.informer().stop();
    }

    private SharedIndexInformer<? extends HasMetadata> create(Key key) {
        return create(key.type(), key);
    }

    private <T extends HasMetadata> SharedIndexInformer<T> create(Class<T> type, Key key) {
        var resources = client.resources(type);
        var scoped = key.namespace().isPresent() ? resources.inNamespace(key.namespace().get())
                : resources.inAnyNamespace();
        return key.labelSelector().isPresent() ? scoped.withLabelSelector(key.labelSelector().get()).runnableInformer(0)
                : scoped.runnableInformer(0);
    }
}
