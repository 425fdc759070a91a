package dev.kiln.machinery.threads;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Pools of a fixed number of named daemon threads, for libraries whose default pool grows a thread per burst. */
public final class BoundedThreads {

    private static final long IDLE_SECONDS = 60;

    private BoundedThreads() {
    }

    /**
     * At most {@code threads} threads, named {@code name-1}, {@code name-2}, ...; further work waits its turn. Only
     * work that never blocks on other work of the same pool may run here.
     */
    public static ExecutorService pool(String name, int threads) {
        AtomicInteger count = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, IDLE_SECONDS, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), runnable -> {
                    Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        // idle threads end as a cached pool's do, so a quiet process keeps none
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
