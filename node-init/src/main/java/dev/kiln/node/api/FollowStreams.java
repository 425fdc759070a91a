package dev.kiln.node.api;

import dev.kiln.node.supervisor.Follower;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The node's follow streams (Events, Logs with follow): at most {@link #MAX_STREAMS} at once, all pumped by a
 * couple of shared threads so that an idle follower costs a queue, not a thread.
 */
final class FollowStreams {

    static final int MAX_STREAMS = 32;
    private static final int PUMP_THREADS = 2;
    private static final Duration IDLE_POLL = Duration.ofMillis(100);
    private static final int BATCH = 256;

    private final Semaphore slots = new Semaphore(MAX_STREAMS);
    private final ScheduledExecutorService pumps = Executors.newScheduledThreadPool(PUMP_THREADS, task -> {
        Thread thread = new Thread(task, "api-follow");
        thread.setDaemon(true);
        return thread;
    });

    /** Starts a follow, or refuses it with RESOURCE_EXHAUSTED when every slot is taken. */
    <T, M> void open(ServerCallStreamObserver<M> stream, Supplier<Follower<T>> subscribe, Function<T, M> toMessage) {
        if (!slots.tryAcquire()) {
            stream.onError(Status.RESOURCE_EXHAUSTED.withDescription("this node serves at most " + MAX_STREAMS
                    + " follow streams (Events, Logs with follow) at once; close one and retry").asRuntimeException());
            return;
        }
        Pump<T, M> pump;
        try {
            pump = new Pump<>(stream, subscribe.get(), toMessage);
        } catch (RuntimeException e) {
            slots.release();
            throw e;
        }
        stream.setOnCancelHandler(pump::finish);
        pumps.execute(pump);
    }

    private final class Pump<T, M> implements Runnable {
        private final ServerCallStreamObserver<M> stream;
        private final Follower<T> follower;
        private final Function<T, M> toMessage;
        private final AtomicBoolean finished = new AtomicBoolean();

        Pump(ServerCallStreamObserver<M> stream, Follower<T> follower, Function<T, M> toMessage) {
            this.stream = stream;
            this.follower = follower;
            this.toMessage = toMessage;
        }

        @Override
        public void run() {
            if (finished.get()) {
                return;
            }
            int sent = 0;
            try {
                // A client that stops reading leaves items in the follower's bounded queue, not in server buffers.
                while (sent < BATCH && stream.isReady() && !stream.isCancelled()) {
                    Optional<T> next = follower.poll(Duration.ZERO);
                    if (next.isEmpty()) {
                        break;
                    }
                    stream.onNext(toMessage.apply(next.get()));
                    sent++;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                finish();
                return;
            } catch (RuntimeException e) {
                finish();
                return;
            }
            if (stream.isCancelled() || follower.isClosed()) {
                finish();
                return;
            }
            pumps.schedule(this, sent == BATCH ? 0 : IDLE_POLL.toMillis(), TimeUnit.MILLISECONDS);
        }

        void finish() {
            if (finished.compareAndSet(false, true)) {
                follower.close();
                slots.release();
            }
        }
    }
}
