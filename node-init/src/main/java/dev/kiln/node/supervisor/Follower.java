package dev.kiln.node.supervisor;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A queue-backed subscription for consumers that block, such as a gRPC stream. If the consumer falls
 * more than its queue capacity behind, new items are dropped and counted rather than buffered forever.
 */
public final class Follower<T> implements AutoCloseable {

    private final LinkedBlockingQueue<T> queue;
    private final AtomicLong dropped = new AtomicLong();
    private volatile Subscription subscription;
    private volatile boolean closed;

    Follower(int capacity) {
        this.queue = new LinkedBlockingQueue<>(capacity);
    }

    void attach(Subscription subscription) {
        this.subscription = subscription;
    }

    void offer(T item) {
        if (!closed && !queue.offer(item)) {
            dropped.incrementAndGet();
        }
    }

    /** The next item, or empty if none arrived within the timeout. */
    public Optional<T> poll(Duration timeout) throws InterruptedException {
        return Optional.ofNullable(queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS));
    }

    /** Blocks until an item arrives; closing does not wake it, so loops that must notice close use {@link #poll}. */
    public T take() throws InterruptedException {
        return queue.take();
    }

    /** Items lost because the queue was full. */
    public long dropped() {
        return dropped.get();
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
        Subscription s = subscription;
        if (s != null) {
            s.close();
        }
    }
}
