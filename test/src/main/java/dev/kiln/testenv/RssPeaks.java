package dev.kiln.testenv;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The highest peak RSS (VmHWM) seen per process of the local environment over several samples (test support). A
 * process that ends between two samples (a node-init rebooting) is seen only if sampled before it ended.
 */
public final class RssPeaks {

    private final Map<String, Long> peakKib = new TreeMap<>();

    public synchronized void sample(LocalEnvironment env) {
        for (OperatorProcess operator : List.of(env.operator())) {
            PeakRss.kib(operator.process().toHandle()).ifPresent(kib -> peakKib.merge("operator", kib, Math::max));
        }
        for (Machines.Machine machine : env.machines().list()) {
            machine.launcher().descendants().forEach(process -> {
                String command = process.info().command().orElse("");
                String role = command.endsWith("java") ? "node-init" : command.endsWith("etcd") ? "etcd" : null;
                if (role != null) {
                    PeakRss.kib(process).ifPresent(kib -> peakKib.merge(machine.name() + " " + role, kib, Math::max));
                }
            });
        }
    }

    /** One FIGURE line per process, in MiB. */
    public synchronized void print() {
        peakKib.forEach((process, kib) -> System.out.printf("FIGURE peak RSS (VmHWM) %s: %d MiB%n", process,
                kib / 1024));
    }
}
