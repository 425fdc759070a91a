package dev.kiln.node.supervisor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The last {@code capacity} items of a stream, plus live delivery to subscribers. A subscriber gets
 * its chosen backlog and then every later item, with no gap and no duplicate in between.
 */
final class Feed<T> {

    private final int capacity;
    private final ArrayDeque<T> items;
    private final List<Consumer<? super T>> listeners = new CopyOnWriteArrayList<>();

    Feed(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
        this.items = new ArrayDeque<>(Math.min(capacity, 1024));
    }

    /** Listeners run on the publishing thread and must not block. */
    synchronized void publish(T item) {
        if (items.size() == capacity) {
            items.removeFirst();
        }
        items.addLast(item);
        for (Consumer<? super T> listener : listeners) {
            deliver(listener, item);
        }
    }

    synchronized List<T> tail(int n) {
        List<T> all = new ArrayList<>(items);
        return List.copyOf(all.subList(Math.max(0, all.size() - Math.max(0, n)), all.size()));
    }

    synchronized List<T> all() {
        return List.copyOf(items);
    }

    /** Subscribes after handing the listener {@code backlog.apply(retained items)}. */
    Subscription subscribe(UnaryOperator<List<T>> backlog, Consumer<? super T> listener) {
        synchronized (this) {
            for (T item : backlog.apply(List.copyOf(items))) {
                listener.accept(item);
            }
            listeners.add(listener);
        }
        return () -> listeners.remove(listener);
    }

    Follower<T> follow(UnaryOperator<List<T>> backlog, int queueCapacity) {
        Follower<T> follower = new Follower<>(queueCapacity);
        follower.attach(subscribe(backlog, follower::offer));
        return follower;
    }

    private void deliver(Consumer<? super T> listener, T item) {
        try {
            listener.accept(item);
        } catch (RuntimeException e) {
            // A broken subscriber must not stall the stream for everyone else.
            listeners.remove(listener);
        }
    }
}
