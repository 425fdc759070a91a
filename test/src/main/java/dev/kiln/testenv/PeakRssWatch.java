package dev.kiln.testenv;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Samples the peak RSS of named process groups every half second until closed and keeps the highest value seen, so
 * that processes which die (a crashed operator, node-init rebooting into its installed slot) still have a figure.
 */
public final class PeakRssWatch implements AutoCloseable {

    private static final long INTERVAL_MILLIS = 500;

    private final Map<String, Supplier<Stream<ProcessHandle>>> groups = new ConcurrentHashMap<>();
    private final Map<String, Long> peaks = new ConcurrentHashMap<>();
    private final Thread sampler = new Thread(this::sampleUntilClosed, "peak-rss-watch");
    private volatile boolean closed;

    public PeakRssWatch() {
        sampler.setDaemon(true);
        sampler.start();
    }

    /** Watches the processes {@code processes} lists at each sample under {@code name}; their highest peak counts. */
    public void watch(String name, Supplier<Stream<ProcessHandle>> processes) {
        groups.put(name, processes);
        sample();
    }

    /** Every machine's node-init JVMs and etcd, as {@code <server> node-init} and {@code <server> etcd}. */
    public void watchMachines(Machines machines) {
        for (Machines.Machine machine : machines.list()) {
            watch(machine.name() + " node-init", () -> machine.launcher().descendants()
                    .filter(p -> p.info().command().orElse("").endsWith("java")));
            watch(machine.name() + " etcd", () -> machine.launcher().descendants()
                    .filter(p -> p.info().command().orElse("").endsWith("etcd")));
        }
    }

    public void watchOperator(String name, OperatorProcess operator) {
        watch(name, () -> Stream.of(operator.process().toHandle()));
    }

    /** Peak RSS in MiB by group name, sorted; groups never seen running are left out. */
    public Map<String, Long> peaksMib() {
        sample();
        Map<String, Long> mib = new TreeMap<>();
        peaks.forEach((name, kib) -> mib.put(name, kib / 1024));
        return mib;
    }

    private void sampleUntilClosed() {
        while (!closed) {
            sample();
            try {
                Thread.sleep(INTERVAL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private synchronized void sample() {
        groups.forEach((name, processes) -> processes.get().forEach(process -> PeakRss.kib(process)
                .ifPresent(kib -> peaks.merge(name, kib, Math::max))));
    }

    @Override
    public void close() {
        closed = true;
        sampler.interrupt();
    }
}
