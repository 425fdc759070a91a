package dev.kiln.machinery.client;

import io.grpc.stub.ClientCallStreamObserver;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Lets a sending thread wait until gRPC's transport can take another message of a client stream, so an upload
 * holds at most what the flow-control window admits instead of queueing the whole stream in memory.
 */
final class ReadyGate implements Runnable {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition ready = lock.newCondition();

    /** Registered as the stream's onReadyHandler. */
    @Override
    public void run() {
        lock.lock();
        try {
            ready.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Returns true once the stream is ready, false when {@code call} ended first (the server answered or failed). */
    boolean await(ClientCallStreamObserver<?> stream, Future<?> call) throws InterruptedException {
        lock.lock();
        try {
            while (!stream.isReady()) {
                if (call.isDone()) {
                    return false;
                }
                // Bounded: a call that ends while not ready signals nothing here.
                ready.await(200, TimeUnit.MILLISECONDS);
            }
            return !call.isDone();
        } finally {
            lock.unlock();
        }
    }
}
