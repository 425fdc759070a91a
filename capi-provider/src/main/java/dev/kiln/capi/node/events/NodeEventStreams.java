package dev.kiln.capi.node.events;

import dev.kiln.capi.node.NodeCredentials;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One event stream per node that some reconciler tracks, shared by all of them. Every event, the stream's opening and
 * its loss trigger each owner that tracks the node, through the trigger its source subscribed; a lost stream is
 * opened again with backoff ({@link ReconnectDelay}) for as long as anyone tracks the node.
 */
public final class NodeEventStreams implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NodeEventStreams.class);

    private final NodeEventFeed feed;
    private final ScheduledExecutorService scheduler;
    private final Map<String, Consumer<ResourceID>> triggers = new ConcurrentHashMap<>();
    private final Object lock = new Object();
    private final Map<String, Watched> nodes = new HashMap<>();
    private final Map<Owner, Set<String>> byOwner = new HashMap<>();

    private record Owner(String source, ResourceID id) {
    }

    /** One tracked node: who tracks it, and its stream's state. Guarded by {@link #lock}. */
    private static final class Watched {
        final String address;
        NodeCredentials credentials;
        final Set<Owner> owners = new HashSet<>();
        AutoCloseable stream;
        boolean open;
        int failures;
        long generation;

        Watched(String address, NodeCredentials credentials) {
            this.address = address;
            this.credentials = credentials;
        }
    }

    public NodeEventStreams(NodeEventFeed feed) {
        this(feed, Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "kiln-node-events");
            thread.setDaemon(true);
            return thread;
        }));
    }

    NodeEventStreams(NodeEventFeed feed, ScheduledExecutorService scheduler) {
        this.feed = feed;
        this.scheduler = scheduler;
    }

    /** Streams that never open: for reconcilers run without nodes to follow. */
    public static NodeEventStreams none() {
        return new NodeEventStreams((address, credentials, listener) -> () -> { });
    }

    /** The event source named {@code source} is triggered with the owner's ID whenever a node it tracks reports. */
    public void subscribe(String source, Consumer<ResourceID> trigger) {
        triggers.put(source, trigger);
    }

    /** Makes {@code nodes} (address to credentials) exactly the nodes {@code owner} of {@code source} tracks. */
    public void track(String source, ResourceID owner, Map<String, NodeCredentials> tracked) {
        Owner key = new Owner(source, owner);
        List<Watched> toOpen = new ArrayList<>();
        List<AutoCloseable> toClose = new ArrayList<>();
        synchronized (lock) {
            Set<String> before = byOwner.getOrDefault(key, Set.of());
            for (String address : before) {
                if (!tracked.containsKey(address)) {
                    Watched watched = nodes.get(address);
                    watched.owners.remove(key);
                    if (watched.owners.isEmpty()) {
                        nodes.remove(address);
                        watched.generation++;
                        if (watched.stream != null) {
                            toClose.add(watched.stream);
                        }
                    }
                }
            }
            tracked.forEach((address, credentials) -> {
                Watched watched = nodes.computeIfAbsent(address, a -> {
                    Watched created = new Watched(a, credentials);
                    toOpen.add(created);
                    return created;
                });
                watched.credentials = credentials;
                watched.owners.add(key);
            });
            if (tracked.isEmpty()) {
                byOwner.remove(key);
            } else {
                byOwner.put(key, Set.copyOf(tracked.keySet()));
            }
        }
        toClose.forEach(NodeEventStreams::closeQuietly);
        toOpen.forEach(watched -> scheduler.execute(() -> open(watched, generationOf(watched))));
    }

    /** Whether {@code owner} of {@code source} tracks any node. */
    public boolean tracks(String source, ResourceID owner) {
        synchronized (lock) {
            return byOwner.containsKey(new Owner(source, owner));
        }
    }

    /** How many nodes have a stream open right now. */
    public int openStreams() {
        synchronized (lock) {
            return (int) nodes.values().stream().filter(w -> w.open).count();
        }
    }

    private long generationOf(Watched watched) {
        synchronized (lock) {
            return watched.generation;
        }
    }

    private void open(Watched watched, long generation) {
        NodeCredentials credentials;
        synchronized (lock) {
            if (!current(watched, generation)) {
                return;
            }
            credentials = watched.credentials;
        }
        try {
            AutoCloseable stream = feed.follow(watched.address, credentials, new NodeEventFeed.Listener() {
                @Override
                public void onEvent() {
                    boolean opened;
                    synchronized (lock) {
                        if (!current(watched, generation)) {
                            return;
                        }
                        opened = !watched.open;
                        watched.open = true;
                        watched.failures = 0;
                    }
                    if (opened) {
                        log.info("event stream of node {} is open", watched.address);
                    }
                    fire(watched);
                }

                @Override
                public void onEnd(String reason) {
                    lost(watched, generation, reason);
                }
            });
            synchronized (lock) {
                if (current(watched, generation)) {
                    watched.stream = stream;
                    return;
                }
            }
            closeQuietly(stream);
        } catch (RuntimeException e) {
            lost(watched, generation, e.getMessage());
        }
    }

    private void lost(Watched watched, long generation, String reason) {
        boolean wasOpen;
        int failures;
        synchronized (lock) {
            if (!current(watched, generation)) {
                return;
            }
            wasOpen = watched.open;
            watched.open = false;
            watched.stream = null;
            failures = ++watched.failures;
            watched.generation++;
        }
        if (wasOpen) {
            log.info("event stream of node {} lost: {}", watched.address, reason);
            fire(watched);
        }
        long next = generationOf(watched);
        Duration delay = ReconnectDelay.after(failures);
        scheduler.schedule(() -> open(watched, next), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private boolean current(Watched watched, long generation) {
        return nodes.get(watched.address) == watched && watched.generation == generation;
    }

    private void fire(Watched watched) {
        Set<Owner> owners;
        synchronized (lock) {
            owners = Set.copyOf(watched.owners);
        }
        for (Owner owner : owners) {
            Consumer<ResourceID> trigger = triggers.get(owner.source());
            if (trigger != null) {
                trigger.accept(owner.id());
            }
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            log.debug("closing a node event stream: {}", e.toString());
        }
    }

    @Override
    public void close() {
        List<AutoCloseable> streams;
        synchronized (lock) {
            streams = nodes.values().stream().map(w -> w.stream).filter(Objects::nonNull).toList();
            nodes.values().forEach(w -> w.generation++);
            nodes.clear();
            byOwner.clear();
        }
        streams.forEach(NodeEventStreams::closeQuietly);
        scheduler.shutdownNow();
    }
}
