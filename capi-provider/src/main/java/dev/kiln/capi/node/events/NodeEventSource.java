package dev.kiln.capi.node.events;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import java.util.Map;
import java.util.Set;

/**
 * A reconciler's view of {@link NodeEventStreams}: every report of a node it tracks reconciles the owner at once. An
 * owner that is gone from the reconciler's cache stops tracking its nodes, so a deleted object holds no stream open.
 */
public final class NodeEventSource<P extends HasMetadata> extends AbstractEventSource<Void, P> {

    private final NodeEventStreams streams;
    private final IndexerResourceCache<P> owners;

    public NodeEventSource(String name, NodeEventStreams streams, EventSourceContext<P> context) {
        super(Void.class, name);
        this.streams = streams;
        this.owners = context.getPrimaryCache();
    }

    @Override
    public void start() {
        streams.subscribe(name(), id -> {
            if (owners.get(id).isEmpty()) {
                streams.track(name(), id, Map.of());
            } else if (isRunning()) {
                getEventHandler().handleEvent(new Event(id));
            }
        });
        super.start();
    }

    @Override
    public Set<Void> getSecondaryResources(P primary) {
        return Set.of();
    }
}
