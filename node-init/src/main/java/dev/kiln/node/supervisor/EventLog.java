package dev.kiln.node.supervisor;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Node-wide events (service state changes, machine stages), each under an id that increases
 * monotonically and sorts as a string. Ids are seeded from the clock, so they keep increasing across
 * node-init restarts too.
 */
public final class EventLog {

    /** An event with its id. */
    public record Entry(String id, NodeEvent event) {
        public Entry {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(event, "event");
        }
    }

    public static final int DEFAULT_CAPACITY = 1000;
    private static final int FOLLOW_QUEUE = 4096;

    private final Feed<Entry> feed;
    private long lastId;

    public EventLog() {
        this(DEFAULT_CAPACITY);
    }

    public EventLog(int capacity) {
        this.feed = new Feed<>(capacity);
    }

    public Entry append(NodeEvent event) {
        Objects.requireNonNull(event, "event");
        // The id is taken and the entry published under one lock so ids appear in order.
        synchronized (this) {
            Entry entry = new Entry(nextId(), event);
            feed.publish(entry);
            return entry;
        }
    }

    /** The last {@code n} retained events, oldest first. */
    public List<Entry> tail(int n) {
        return feed.tail(n);
    }

    /** Retained events with ids after the given one, oldest first. */
    public List<Entry> after(String id) {
        return afterId(id).apply(feed.all());
    }

    /** Delivers the last {@code tail} events and then each new one. The listener must not block. */
    public Subscription follow(int tail, Consumer<? super Entry> listener) {
        return feed.subscribe(lastN(tail), listener);
    }

    /** Like {@link #follow(int, Consumer)}, but starting after a known event id. */
    public Subscription followAfter(String id, Consumer<? super Entry> listener) {
        return feed.subscribe(afterId(id), listener);
    }

    /** A blocking-queue view of {@link #follow(int, Consumer)}. */
    public Follower<Entry> follow(int tail) {
        return feed.follow(lastN(tail), FOLLOW_QUEUE);
    }

    private String nextId() {
        long nowMicros = Instant.now().toEpochMilli() * 1000;
        lastId = Math.max(lastId + 1, nowMicros);
        return String.format("%016x", lastId);
    }

    private static UnaryOperator<List<Entry>> lastN(int n) {
        return all -> all.subList(Math.max(0, all.size() - Math.max(0, n)), all.size());
    }

    private static UnaryOperator<List<Entry>> afterId(String id) {
        return all -> all.stream().filter(e -> e.id().compareTo(id) > 0).toList();
    }
}
