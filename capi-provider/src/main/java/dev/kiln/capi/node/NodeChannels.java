package dev.kiln.capi.node;

import dev.kiln.machinery.client.ChannelExecutors;
import dev.kiln.machinery.client.MachineChannels;
import dev.kiln.machinery.client.NodeAddress;
import dev.kiln.machinery.threads.BoundedThreads;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One open channel per node address and TLS identity, shared by every call to that node. A channel is shut down and
 * replaced on next use once a call through it failed to reach the node, once gRPC reports it failing, after
 * {@code idleTimeout} without use, or when more than {@code maxChannels} are open and it is the least recently used;
 * a channel held by an event stream is closed only when that stream fails. Open calls ping the node, so a node behind
 * a cut network (which sends no reset) is noticed.
 */
final class NodeChannels implements AutoCloseable {

    static final Duration IDLE_TIMEOUT = Duration.ofMinutes(2);
    static final int MAX_CHANNELS = 4096;
    /** A node cut off without a reset fails the calls open to it within the two; node-init permits pings this often. */
    static final Duration PING_EVERY = Duration.ofSeconds(10);
    static final Duration PING_TIMEOUT = Duration.ofSeconds(5);
    /**
     * Shared by every channel, as gRPC's default pool is. Stream callbacks only hand an event to a reconciler's queue,
     * and handshakes are CPU work, so a few threads keep up where the default pool grew one per concurrent task.
     */
    static final ChannelExecutors EXECUTORS = new ChannelExecutors(BoundedThreads.pool("kiln-grpc-callback", 2),
            BoundedThreads.pool("kiln-grpc-offload", 4));

    /** The node and who the operator is to it: a pinned fingerprint, or a role and the digest of the CA it trusts. */
    record Key(NodeAddress node, String identity) {
    }

    private static final class Entry {
        final ManagedChannel channel;
        long lastUsedNanos;
        /** Long-lived calls (event streams) on the channel; a held channel is never closed as idle or least used. */
        int holds;

        Entry(ManagedChannel channel) {
            this.channel = channel;
        }
    }

    private final Duration idleTimeout;
    private final int maxChannels;
    /** In access order, so the eldest entries are the least recently used; guarded by {@code this}. */
    private final LinkedHashMap<Key, Entry> channels = new LinkedHashMap<>(16, 0.75f, true);
    private long opened;
    private boolean closed;

    NodeChannels(Duration idleTimeout, int maxChannels) {
        if (maxChannels < 1) {
            throw new IllegalArgumentException("node channels: maxChannels must be at least 1, was " + maxChannels);
        }
        this.idleTimeout = idleTimeout;
        this.maxChannels = maxChannels;
    }

    /**
     * The open channel for {@code key}, opened now with {@code context} if there is none usable. The context is found or
     * made outside the lock, so a burst of new nodes is not serialized.
     */
    ManagedChannel acquire(Key key, Supplier<SslContext> context) {
        return acquire(key, context, false);
    }

    /**
     * As {@link #acquire}, for a long-lived call: the channel stays open while held. Each hold ends with one
     * {@link #release}.
     */
    ManagedChannel hold(Key key, Supplier<SslContext> context) {
        return acquire(key, context, true);
    }

    /** Ends a hold of {@code channel}; a failed call's channel is dropped, so the next use dials afresh. */
    synchronized void release(Key key, ManagedChannel channel, boolean failed) {
        Entry entry = channels.get(key);
        if (entry != null && entry.channel == channel) {
            entry.holds--;
            entry.lastUsedNanos = System.nanoTime();
        }
        if (failed) {
            evict(key, channel);
        }
    }

    private ManagedChannel acquire(Key key, Supplier<SslContext> context, boolean hold) {
        synchronized (this) {
            Optional<ManagedChannel> open = usableOrDropped(key, hold);
            if (open.isPresent()) {
                return open.get();
            }
        }
        ManagedChannel fresh = MachineChannels.openShared(key.node(), context.get(), idleTimeout, PING_EVERY,
                PING_TIMEOUT, EXECUTORS);
        synchronized (this) {
            Optional<ManagedChannel> openedMeanwhile = closed ? Optional.empty() : usableOrDropped(key, hold);
            if (closed || openedMeanwhile.isPresent()) {
                fresh.shutdown();
                return openedMeanwhile.orElseThrow(() -> new IllegalStateException(
                        "node channels are closed; cannot reach " + key.node()));
            }
            Entry entry = new Entry(fresh);
            entry.lastUsedNanos = System.nanoTime();
            entry.holds = hold ? 1 : 0;
            channels.put(key, entry);
            opened++;
            evictBeyondBound();
            return fresh;
        }
    }

    /** The usable channel for {@code key}, marked used (and held); an unusable one is dropped. Holds the lock. */
    private Optional<ManagedChannel> usableOrDropped(Key key, boolean hold) {
        if (closed) {
            throw new IllegalStateException("node channels are closed; cannot reach " + key.node());
        }
        long now = System.nanoTime();
        evictIdle(now);
        Entry entry = channels.get(key);
        if (entry == null) {
            return Optional.empty();
        }
        if (!usable(entry.channel)) {
            channels.remove(key);
            entry.channel.shutdown();
            return Optional.empty();
        }
        entry.lastUsedNanos = now;
        if (hold) {
            entry.holds++;
        }
        return Optional.of(entry.channel);
    }

    /** Drops {@code failed} so the next call to its node dials afresh instead of waiting out gRPC's backoff. */
    synchronized void evict(Key key, ManagedChannel failed) {
        Entry entry = channels.get(key);
        if (entry != null && entry.channel == failed) {
            channels.remove(key);
        }
        failed.shutdown();
    }

    /** Shuts down every channel unused for longer than the idle timeout. */
    synchronized void evictIdle() {
        evictIdle(System.nanoTime());
    }

    private void evictIdle(long now) {
        Iterator<Entry> eldestFirst = channels.values().iterator();
        while (eldestFirst.hasNext()) {
            Entry entry = eldestFirst.next();
            if (entry.holds > 0) {
                continue;
            }
            if (now - entry.lastUsedNanos <= idleTimeout.toNanos()) {
                return;
            }
            eldestFirst.remove();
            entry.channel.shutdown();
        }
    }

    private void evictBeyondBound() {
        Iterator<Entry> eldestFirst = channels.values().iterator();
        while (channels.size() > maxChannels && eldestFirst.hasNext()) {
            Entry entry = eldestFirst.next();
            if (entry.holds > 0) {
                continue;
            }
            eldestFirst.remove();
            entry.channel.shutdown();
        }
    }

    private static boolean usable(ManagedChannel channel) {
        ConnectivityState state = channel.getState(false);
        return !channel.isShutdown() && state != ConnectivityState.TRANSIENT_FAILURE
                && state != ConnectivityState.SHUTDOWN;
    }

    synchronized int size() {
        return channels.size();
    }

    /** How many channels were ever opened. */
    synchronized long opened() {
        return opened;
    }

    /** Shuts every channel down, cancelling calls still in flight; later calls are refused. */
    @Override
    public void close() {
        List<ManagedChannel> open;
        synchronized (this) {
            closed = true;
            open = new ArrayList<>(channels.size());
            for (Map.Entry<Key, Entry> entry : channels.entrySet()) {
                open.add(entry.getValue().channel);
            }
            channels.clear();
        }
        open.forEach(ManagedChannel::shutdownNow);
        for (ManagedChannel channel : open) {
            try {
                channel.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
