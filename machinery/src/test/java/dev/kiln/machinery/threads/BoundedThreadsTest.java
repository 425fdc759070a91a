package dev.kiln.machinery.threads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class BoundedThreadsTest {

    @Test
    void aBurstQueuesOnTheBoundedNamedDaemonThreadsAndAllOfItRuns() throws Exception {
        ExecutorService pool = BoundedThreads.pool("test-bounded", 3);
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(50);
        try {
            for (int i = 0; i < 50; i++) {
                pool.execute(() -> {
                    mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                    threads.add(Thread.currentThread());
                    try {
                        Thread.sleep(2);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    running.decrementAndGet();
                    done.countDown();
                });
            }
            assertTrue(done.await(10, TimeUnit.SECONDS), "every task of the burst runs");
            assertTrue(mostAtOnce.get() <= 3, "at most 3 at once, was " + mostAtOnce.get());
            assertEquals(Set.of("test-bounded-1", "test-bounded-2", "test-bounded-3"),
                    threads.stream().map(Thread::getName).collect(Collectors.toSet()));
            assertTrue(threads.stream().allMatch(Thread::isDaemon), "a pool thread keeps the process alive");
        } finally {
            assertEquals(List.of(), pool.shutdownNow());
        }
    }
}
