package dev.kiln.capi.informers;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.javaoperatorsdk.operator.OperatorException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.health.Status;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.EventHandler;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * One reconciler's view of a {@link SharedInformers} informer: it reads that informer's cache and wakes the primaries
 * its mapper names for the events its filters let through. It keeps no index from primaries to secondaries: Kiln reads
 * caches through {@code CachedReads}, never through the context.
 */
public final class SharedInformerEventSource<R extends HasMetadata, P extends HasMetadata>
        extends AbstractEventSource<R, P>
        implements io.javaoperatorsdk.operator.processing.event.source.Cache<R>, ResourceEventHandler<R> {

    /** JOSDK's own bound on an informer's first list. */
    static final Duration SYNC_TIMEOUT = Duration.ofMinutes(2);

    private final SharedInformers informers;
    private final List<SharedInformers.Key> keys;
    private final SecondaryToPrimaryMapper<R> mapper;
    private volatile List<SharedIndexInformer<R>> watching = List.of();

    SharedInformerEventSource(SharedInformers informers, InformerEventSourceConfiguration<R> configuration,
            List<SharedInformers.Key> keys) {
        super(configuration.getInformerConfig().getResourceClass(), configuration.name());
        this.informers = informers;
        this.keys = List.copyOf(keys);
        this.mapper = Objects.requireNonNull(configuration.getSecondaryToPrimaryMapper(),
                () -> "informer " + configuration.name() + " needs a secondary-to-primary mapper");
        var informer = configuration.getInformerConfig();
        setOnAddFilter(informer.getOnAddFilter());
        setOnUpdateFilter(informer.getOnUpdateFilter());
        setOnDeleteFilter(informer.getOnDeleteFilter());
        setGenericFilter(informer.getGenericFilter());
    }

    @Override
    public synchronized void start() throws OperatorException {
        if (isRunning()) {
            return;
        }
        List<SharedIndexInformer<R>> acquired = new ArrayList<>();
        try {
            for (SharedInformers.Key key : keys) {
                acquired.add(informers.acquire(key));
                informers.synced(key).get(SYNC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            releaseAll(acquired.size());
            throw new OperatorException("interrupted while " + name() + " synced", e);
        } catch (ExecutionException | TimeoutException e) {
            releaseAll(acquired.size());
            throw new OperatorException("informer " + name() + " did not sync: " + e.getMessage(), e);
        }
        watching = List.copyOf(acquired);
        super.start();
        acquired.forEach(informer -> informer.addEventHandler(this));
    }

    @Override
    public synchronized void stop() throws OperatorException {
        if (!isRunning()) {
            return;
        }
        super.stop();
        watching.forEach(informer -> informer.removeEventHandler(this));
        releaseAll(keys.size());
        watching = List.of();
    }

    private void releaseAll(int count) {
        keys.subList(0, count).forEach(informers::release);
    }

    @Override
    public Status getStatus() {
        List<SharedIndexInformer<R>> current = watching;
        return !current.isEmpty() && current.stream().allMatch(i -> i.isRunning() && i.isWatching()) ? Status.HEALTHY
                : Status.UNHEALTHY;
    }

    @Override
    public void onAdd(R added) {
        if ((onAddFilter == null || onAddFilter.accept(added)) && generic(added)) {
            wake(added);
        }
    }

    @Override
    public void onUpdate(R before, R changed) {
        if ((onUpdateFilter == null || onUpdateFilter.accept(changed, before)) && generic(changed)) {
            wake(changed);
        }
    }

    @Override
    public void onDelete(R deleted, boolean finalStateUnknown) {
        if ((onDeleteFilter == null || onDeleteFilter.accept(deleted, finalStateUnknown)) && generic(deleted)) {
            wake(deleted);
        }
    }

    private boolean generic(R object) {
        return genericFilter == null || genericFilter.accept(object);
    }

    private void wake(R object) {
        EventHandler handler = getEventHandler();
        if (handler == null || !isRunning()) {
            return;
        }
        for (ResourceID primary : mapper.toPrimaryResourceIDs(object)) {
            handler.handleEvent(new Event(primary));
        }
    }

    @Override
    public Optional<R> get(ResourceID id) {
        String key = Cache.namespaceKeyFunc(id.getNamespace().orElse(null), id.getName());
        return watching.stream().map(informer -> informer.getStore().getByKey(key)).filter(Objects::nonNull)
                .findFirst();
    }

    @Override
    public Stream<ResourceID> keys() {
        return watching.stream().flatMap(informer -> informer.getStore().list().stream()).map(ResourceID::fromResource);
    }

    @Override
    public Stream<R> list(Predicate<R> predicate) {
        return watching.stream().flatMap(informer -> informer.getStore().list().stream()).filter(predicate);
    }

    /** Kiln reads through {@code CachedReads}; this source keeps no index to answer from. */
    @Override
    public Set<R> getSecondaryResources(P primary) {
        throw new UnsupportedOperationException("secondary resources of " + primary.getKind() + " "
                + primary.getMetadata().getName() + " are read through CachedReads, not the context");
    }
}
