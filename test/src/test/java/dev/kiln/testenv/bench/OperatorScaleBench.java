package dev.kiln.testenv.bench;

import dev.kiln.capi.core.v1beta1.Machine;
import dev.kiln.testenv.ManagementApi;
import dev.kiln.testenv.Manifests;
import dev.kiln.testenv.OperatorProcess;
import dev.kiln.testenv.sim.SimulatedFleet;
import dev.kiln.testenv.sim.SimulatedMachine;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * hack/bench/operator-scale: the operator (its own process) against N clusters of simulated machines on the
 * management API stand-in. Applies every cluster in one burst and prints how long they take to form, what the
 * operator costs (RSS, live heap, CPU, reconcile durations) and how busy it keeps the APIs once nothing changes.
 * It asserts nothing; its smoke test checks only that the clusters form without errors.
 */
public final class OperatorScaleBench {

    private static final String NAMESPACE = "default";

    /** What to run; machine i listens on the i-th loopback address from {@code firstAddress} (hosts .1 to .250). */
    public record Options(Path repo, Path work, int clusters, int machinesPerCluster, int shards, String firstAddress,
            Duration formationTimeout, Duration settle, Duration steady, List<String> jvmFlags) {

        public static Options parse(Path repo, Path work, String... args) {
            int clusters = 10;
            int machines = 5;
            int shards = 1;
            String firstAddress = "127.1.0.1";
            long timeout = 600;
            long settle = 15;
            long steady = 30;
            List<String> jvmFlags = OperatorProcess.JVM_FLAGS;
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--clusters" -> clusters = positive("--clusters", value);
                    case "--machines-per-cluster" -> machines = positive("--machines-per-cluster", value);
                    case "--shards" -> shards = positive("--shards", value);
                    case "--first-address" -> firstAddress = required("--first-address", value);
                    case "--timeout-s" -> timeout = positive("--timeout-s", value);
                    case "--settle-s" -> settle = positive("--settle-s", value);
                    case "--steady-s" -> steady = positive("--steady-s", value);
                    case "--jvm-flags" -> jvmFlags = List.of(required("--jvm-flags", value).trim().split("\\s+"));
                    default -> throw new IllegalArgumentException("unknown argument " + args[i]);
                }
                i++;
            }
            if (machines < 3) {
                throw new IllegalArgumentException("--machines-per-cluster: at least 3 (the control plane), got "
                        + machines);
            }
            if (!firstAddress.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.([1-9]\\d?|1\\d\\d|2[0-4]\\d|250)")) {
                throw new IllegalArgumentException("--first-address: a loopback address 127.x.y.z with z from 1 to "
                        + "250, e.g. 127.1.0.1; got " + firstAddress);
            }
            return new Options(repo, work, clusters, machines, shards, firstAddress, Duration.ofSeconds(timeout),
                    Duration.ofSeconds(settle), Duration.ofSeconds(steady), jvmFlags);
        }

        private static String required(String flag, String value) {
            if (value == null) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            return value;
        }

        private static int positive(String flag, String value) {
            try {
                int n = Integer.parseInt(required(flag, value));
                if (n < 1) {
                    throw new NumberFormatException();
                }
                return n;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(flag + ": a positive whole number, got " + value);
            }
        }
    }

    /** The figures of one run; {@code formedSeconds} is empty when the clusters did not all form in time. */
    public record Result(int clusters, int machines, Optional<Double> formedSeconds, long peakRssMib,
            long steadyRssMib, long liveHeapMib, Map<String, double[]> reconcileP50P99Ms, double steadyApiRps,
            double steadyApiWritesPerSecond, double steadyMachineCallsPerSecond, double steadyCpuPercent,
            long bootstraps, long errors) {

        public double worstP99Ms() {
            return reconcileP50P99Ms.values().stream().mapToDouble(p -> p[1]).max().orElse(0);
        }

        public String summary() {
            return String.format(Locale.ROOT, "clusters=%d machines=%d formed_s=%s rss_mb=%d heap_live_mb=%d p99_ms=%.0f"
                            + " steady_api_rps=%.2f steady_machine_rps=%.2f steady_cpu_pct=%.1f errors=%d",
                    clusters, machines, formedSeconds.map(s -> String.format(Locale.ROOT, "%.1f", s)).orElse("never"),
                    peakRssMib, liveHeapMib, worstP99Ms(), steadyApiRps, steadyMachineCallsPerSecond, steadyCpuPercent,
                    errors);
        }
    }

    private OperatorScaleBench() {
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(Path.of(args[0]), Path.of(args[1]),
                java.util.Arrays.copyOfRange(args, 2, args.length));
        Result result = run(options, System.out, System.err);
        System.exit(result.formedSeconds().isPresent() && result.errors() == 0 ? 0 : 1);
    }

    public static Result run(Options options, PrintStream out, PrintStream err) throws Exception {
        int total = options.clusters() * options.machinesPerCluster();
        List<String> names = new ArrayList<>();
        List<String> addresses = new ArrayList<>();
        String[] octets = options.firstAddress().split("\\.");
        int third = Integer.parseInt(octets[2]);
        int host = Integer.parseInt(octets[3]);
        for (int i = 0; i < total; i++) {
            names.add("server-" + (i + 1));
            if (third > 255) {
                throw new IllegalArgumentException("--first-address " + options.firstAddress() + ": " + total
                        + " machines do not fit in " + octets[0] + "." + octets[1] + ".0.0/16 from there");
            }
            addresses.add(octets[0] + "." + octets[1] + "." + third + "." + host);
            if (++host > 250) {
                host = 1;
                third++;
            }
        }
        Files.createDirectories(options.work());
        System.setProperty("kiln.crds.dir", options.repo().resolve("crds").toString());
        progress(err, "starting the management API and " + total + " simulated machines on " + addresses.get(0)
                + " .. " + addresses.get(total - 1));
        try (ManagementApi api = ManagementApi.start(0);
                SimulatedFleet fleet = SimulatedFleet.start(SimulatedFleet.Settings.defaults(), names, addresses)) {
            KubernetesClient client = api.client();
            List<SimulatedMachine> machines = fleet.machines();
            fleet.register(client, NAMESPACE, machines, i -> serverLabels(options, i));
            Path kubeconfig = api.writeKubeconfig(options.work().resolve("management.kubeconfig"));
            List<OperatorProcess> operators = new ArrayList<>();
            try {
                for (int shard = 0; shard < options.shards(); shard++) {
                    List<String> args = options.shards() == 1 ? List.of("--leader-election", "off")
                            : List.of("--leader-election", "off", "--watch-filter", shardValue(shard));
                    operators.add(OperatorProcess.start(options.repo(), kubeconfig, api.url(),
                            options.work().resolve("operator-" + shard + ".log"), Map.of(), options.jvmFlags(), args));
                }
                for (OperatorProcess operator : operators) {
                    awaitStarted(operator);
                }
                progress(err, operators.size() + " operator process(es) started with " + options.jvmFlags());
                long idleRss = operators.stream().mapToLong(o -> rssKib(o.pid(), "VmRSS:")).sum() / 1024;
                out.printf(Locale.ROOT, "operator RSS idle before any cluster: %d MiB%n", idleRss);

                long apiAtBurst = api.operatorRequests().count();
                Map<String, Long> requestsByKindAtBurst = api.operatorRequests().countsByKind();
                long callsAtBurst = fleet.totalCalls();
                long cpuAtBurst = operators.stream().mapToLong(OperatorScaleBench::cpuNanos).sum();
                long applied = System.nanoTime();
                applyClusters(client, options);
                progress(err, "applied " + options.clusters() + " clusters; waiting for every Machine Running and 3 "
                        + "voters each");
                Optional<Double> formed = awaitFormed(client, fleet, options, applied, err);
                formed.ifPresentOrElse(
                        s -> out.printf(Locale.ROOT, "formed: %d clusters, %d machines in %.1f s after the burst%n",
                                options.clusters(), total, s),
                        () -> out.printf("NOT formed within %s%n", options.formationTimeout()));
                long formationRequests = api.operatorRequests().count() - apiAtBurst;
                out.printf(Locale.ROOT, "formation: %d API requests (%.1f per machine), %d machine API calls, operator "
                        + "CPU %.1f s%n", formationRequests, (double) formationRequests / total,
                        fleet.totalCalls() - callsAtBurst,
                        (operators.stream().mapToLong(OperatorScaleBench::cpuNanos).sum() - cpuAtBurst) / 1e9);
                out.printf("formation API requests by kind, most first: %s%n",
                        mostFirst(difference(api.operatorRequests().countsByKind(), requestsByKindAtBurst), 12));

                Thread.sleep(options.settle().toMillis());
                long apiBefore = api.operatorRequests().count();
                long writesBefore = api.operatorRequests().writeCount();
                Map<String, Long> requestsByKindBefore = api.operatorRequests().countsByKind();
                long callsBefore = fleet.totalCalls();
                Map<String, Long> callsByMethodBefore = fleet.calls();
                long cpuBefore = operators.stream().mapToLong(OperatorScaleBench::cpuNanos).sum();
                long steadyStart = System.nanoTime();
                Thread.sleep(options.steady().toMillis());
                double seconds = (System.nanoTime() - steadyStart) / 1e9;
                double apiRps = (api.operatorRequests().count() - apiBefore) / seconds;
                double writesPs = (api.operatorRequests().writeCount() - writesBefore) / seconds;
                double callsPs = (fleet.totalCalls() - callsBefore) / seconds;
                double cpu = 100.0 * (operators.stream().mapToLong(OperatorScaleBench::cpuNanos).sum() - cpuBefore)
                        / 1e9 / seconds;
                long steadyRss = operators.stream().mapToLong(o -> rssKib(o.pid(), "VmRSS:")).sum() / 1024;
                long peakRss = operators.stream().mapToLong(o -> rssKib(o.pid(), "VmHWM:")).sum() / 1024;
                long liveHeap = operators.stream().mapToLong(o -> liveHeapKib(o.pid())).sum() / 1024;
                Map<String, double[]> percentiles = reconcilePercentiles(operators);
                long errors = errors(operators, client);

                out.printf(Locale.ROOT, "operator RSS: peak %d MiB, steady %d MiB; live heap after a full GC %d MiB%n",
                        peakRss, steadyRss, liveHeap);
                if (options.jvmFlags().stream().anyMatch(flag -> flag.startsWith("-XX:NativeMemoryTracking="))) {
                    for (OperatorProcess operator : operators) {
                        out.println("native memory (jcmd VM.native_memory summary), committed by category:");
                        jcmd(operator.pid(), "VM.native_memory summary").lines()
                                .filter(line -> line.startsWith("Total") || line.startsWith("-"))
                                .forEach(line -> out.println("  " + line.trim()));
                    }
                }
                percentiles.forEach((controller, p) -> out.printf(Locale.ROOT,
                        "reconcile %-28s p50 %8.1f ms  p99 %8.1f ms  (%d reconciles)%n", controller, p[0], p[1],
                        (long) p[2]));
                out.printf(Locale.ROOT, "steady state over %.0f s: %.2f API requests/s (%.2f writes/s), %.2f machine "
                        + "API calls/s, operator CPU %.1f%% of a core%n", seconds, apiRps, writesPs, callsPs, cpu);
                out.printf("steady machine API calls by method: %s%n", difference(fleet.calls(), callsByMethodBefore));
                out.printf("steady API requests by kind: %s%n",
                        difference(api.operatorRequests().countsByKind(), requestsByKindBefore));
                out.printf("bootstraps: %d (one per cluster expected); errors: %d%n", fleet.bootstraps(), errors);
                if (options.shards() > 1) {
                    for (int shard = 0; shard < operators.size(); shard++) {
                        out.printf(Locale.ROOT, "shard %d: %.0f reconciles%n", shard,
                                operators.get(shard).metricSum("operator_sdk_reconciliations_started_total"));
                    }
                }
                Result result = new Result(options.clusters(), total, formed, peakRss, steadyRss, liveHeap,
                        percentiles, apiRps, writesPs, callsPs, cpu, fleet.bootstraps(), errors);
                out.println(result.summary());
                return result;
            } finally {
                for (OperatorProcess operator : operators) {
                    operator.close();
                }
            }
        }
    }

    private static Map<String, String> serverLabels(Options options, int i) {
        int cluster = (i - 1) / options.machinesPerCluster();
        int within = (i - 1) % options.machinesPerCluster();
        Map<String, String> labels = new HashMap<>();
        labels.put("role", within < 3 ? "controlplane" : "worker");
        labels.put("fleet", clusterName(cluster));
        if (options.shards() > 1) {
            String[] shard = shardLabel(cluster % options.shards(), options).split("=");
            labels.put(shard[0], shard[1]);
        }
        return labels;
    }

    private static String clusterName(int index) {
        return String.format(Locale.ROOT, "c%04d", index + 1);
    }

    private static String shardValue(int shard) {
        return "shard-" + shard;
    }

    /** The label a shard's operator selects by (its --watch-filter), on every object of its clusters. */
    private static String shardLabel(int shard, Options options) {
        return "cluster.x-k8s.io/watch-filter=" + shardValue(shard);
    }

    /** examples/ with the cluster's name, its own servers, and its shard's label when sharded. */
    private static void applyClusters(KubernetesClient client, Options options) throws Exception {
        String cluster = Files.readString(options.repo().resolve("examples/cluster.yaml"));
        String controlPlane = Files.readString(options.repo().resolve("examples/control-plane.yaml"));
        String workers = Files.readString(options.repo().resolve("examples/workers.yaml"));
        Path dir = Files.createDirectories(options.work().resolve("manifests"));
        ExecutorService burst = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> sent = new ArrayList<>();
            for (int c = 0; c < options.clusters(); c++) {
                String name = clusterName(c);
                String shard = options.shards() > 1 ? shardLabel(c % options.shards(), options) : null;
                String text = String.join("\n---\n", cluster, controlPlane, personalize(workers, name, options))
                        .replace("name: demo", "name: " + name)
                        .replace("demo-", name + "-")
                        .replace("clusterName: demo", "clusterName: " + name)
                        .replace("cluster-name: demo", "cluster-name: " + name)
                        .replace("host: 127.0.50.1", "host: " + name + ".example")
                        .replace("role: controlplane", "role: controlplane\n          fleet: " + name);
                if (shard != null) {
                    String[] kv = shard.split("=");
                    text = text.replaceAll("(?m)^  namespace: default$", "  namespace: default\n  labels:\n    "
                            + kv[0] + ": \"" + kv[1] + "\"")
                            // what Kiln and Cluster API create for the cluster takes the templates' labels
                            .replace("    metadata:\n      labels:\n", "    metadata:\n      labels:\n        " + kv[0]
                                    + ": \"" + kv[1] + "\"\n")
                            .replace("  machineTemplate:\n", "  machineTemplate:\n    metadata:\n      labels:\n        "
                                    + kv[0] + ": \"" + kv[1] + "\"\n");
                }
                Path file = dir.resolve(name + ".yaml");
                Files.writeString(file, text);
                sent.add(burst.submit(() -> Manifests.create(client, file)));
            }
            for (Future<?> future : sent) {
                future.get();
            }
        } finally {
            burst.shutdownNow();
        }
    }

    private static String personalize(String workers, String name, Options options) {
        return workers.replace("replicas: 2", "replicas: " + (options.machinesPerCluster() - 3))
                .replace("role: worker", "role: worker\n          fleet: " + name);
    }

    private static Optional<Double> awaitFormed(KubernetesClient client, SimulatedFleet fleet, Options options,
            long applied, PrintStream err) throws InterruptedException {
        long deadline = applied + options.formationTimeout().toNanos();
        int total = options.clusters() * options.machinesPerCluster();
        long lastReport = 0;
        // a watch, not a list a second: listing every Machine each second cost the stand-in's JVM more than it served
        try (SharedIndexInformer<Machine> informer = client.resources(Machine.class).inNamespace(NAMESPACE).inform()) {
            while (System.nanoTime() < deadline) {
                List<Machine> machines = informer.getStore().list();
                long running = machines.stream().filter(m -> m.getStatus() != null
                        && "Running".equals(m.getStatus().getPhase())).count();
                long threeVoters = fleet.machines().stream().filter(m -> fleet.voters(m) == 3).count();
                if (running == total && threeVoters == 3L * options.clusters() && allControlPlanesVote(machines, fleet)) {
                    return Optional.of((System.nanoTime() - applied) / 1e9);
                }
                if (System.nanoTime() - lastReport > Duration.ofSeconds(10).toNanos()) {
                    progress(err, String.format(Locale.ROOT, "%.0f s: %d/%d Machines Running, %d/%d control-plane "
                                    + "machines in a 3-voter etcd", (System.nanoTime() - applied) / 1e9, running, total,
                            threeVoters, 3 * options.clusters()));
                    lastReport = System.nanoTime();
                }
                Thread.sleep(1000);
            }
        }
        return Optional.empty();
    }

    /** Every control-plane Machine's server holds a voter of a 3-voter cluster. */
    private static boolean allControlPlanesVote(List<Machine> machines, SimulatedFleet fleet) {
        Map<String, SimulatedMachine> byName = new HashMap<>();
        fleet.machines().forEach(m -> byName.put(m.name(), m));
        for (Machine machine : machines) {
            if (!machine.isControlPlane()) {
                continue;
            }
            String providerId = machine.getSpec().getProviderID();
            SimulatedMachine server = providerId == null ? null : byName.get(providerId.replace("kiln://", ""));
            if (server == null || fleet.voters(server) != 3) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, Long> difference(Map<String, Long> after, Map<String, Long> before) {
        Map<String, Long> delta = new TreeMap<>();
        after.forEach((method, count) -> {
            long d = count - before.getOrDefault(method, 0L);
            if (d > 0) {
                delta.put(method, d);
            }
        });
        return delta;
    }

    private static String mostFirst(Map<String, Long> counts, int limit) {
        return counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(limit)
                .map(e -> e.getKey().replace('\t', ' ') + "=" + e.getValue()).collect(Collectors.joining(", "));
    }

    // ---- the operator process

    private static void awaitStarted(OperatorProcess operator) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!operator.logText().contains("Kiln operator started")) {
            if (!operator.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("the operator did not start; see " + operator.log() + ":\n"
                        + operator.logText());
            }
            Thread.sleep(200);
        }
    }

    static long rssKib(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no " + field + " for process " + pid);
    }

    private static long cpuNanos(OperatorProcess operator) {
        return operator.process().toHandle().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    private static final Pattern USED = Pattern.compile("used (\\d+)K");

    /** Heap in use right after a full collection (jcmd GC.run, then GC.heap_info): the live set. */
    static long liveHeapKib(long pid) {
        jcmd(pid, "GC.run");
        String info = jcmd(pid, "GC.heap_info");
        long used = 0;
        for (String line : info.split("\n")) {
            String trimmed = line.trim();
            if (trimmed.startsWith("Metaspace") || trimmed.startsWith("class space")) {
                continue;
            }
            Matcher m = USED.matcher(trimmed);
            if (m.find()) {
                used += Long.parseLong(m.group(1));
            }
        }
        return used;
    }

    private static String jcmd(long pid, String command) {
        try {
            Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    Long.toString(pid), command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            process.waitFor();
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException("jcmd " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static final Pattern BUCKET = Pattern.compile(
            "operator_sdk_controllers_execution_reconcile_seconds_bucket\\{(.*)\\} (\\S+)");

    /** p50, p99 (ms) and count per controller, from the histogram buckets of every operator added together. */
    static Map<String, double[]> reconcilePercentiles(List<OperatorProcess> operators) throws Exception {
        Map<String, TreeMap<Double, Double>> buckets = new TreeMap<>();
        for (OperatorProcess operator : operators) {
            for (String line : operator.metricsText().split("\n")) {
                Matcher m = BUCKET.matcher(line);
                if (!m.matches()) {
                    continue;
                }
                String labels = m.group(1);
                String controller = label(labels, "controller");
                String le = label(labels, "le");
                double bound = le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
                buckets.computeIfAbsent(controller, c -> new TreeMap<>())
                        .merge(bound, Double.parseDouble(m.group(2)), Double::sum);
            }
        }
        Map<String, double[]> result = new TreeMap<>();
        buckets.forEach((controller, cumulative) -> {
            double count = cumulative.lastEntry().getValue();
            if (count > 0) {
                result.put(controller, new double[] {quantile(cumulative, count, 0.5), quantile(cumulative, count,
                        0.99), count});
            }
        });
        return result;
    }

    /** The upper bound of the bucket that holds the quantile, in ms (a histogram's resolution). */
    private static double quantile(TreeMap<Double, Double> cumulative, double count, double q) {
        double rank = q * count;
        for (Map.Entry<Double, Double> bucket : cumulative.entrySet()) {
            if (bucket.getValue() >= rank) {
                return bucket.getKey() * 1000;
            }
        }
        return Double.POSITIVE_INFINITY;
    }

    private static String label(String labels, String name) {
        Matcher m = Pattern.compile(name + "=\"([^\"]*)\"").matcher(labels);
        return m.find() ? m.group(1) : "?";
    }

    /** Failed reconciles by JOSDK's count, plus ERROR lines in the operators' logs, plus Machines Failed. */
    private static long errors(List<OperatorProcess> operators, KubernetesClient client) {
        long errors = 0;
        for (OperatorProcess operator : operators) {
            errors += (long) operator.metricSum("operator_sdk_reconciliations_failed_total");
            errors += operator.logText().lines().filter(line -> line.contains(" ERROR ")).count();
        }
        errors += client.resources(Machine.class).inNamespace(NAMESPACE).list().getItems().stream()
                .filter(m -> m.getStatus() != null && "Failed".equals(m.getStatus().getPhase())).count();
        return errors;
    }

    private static void progress(PrintStream err, String message) {
        err.printf("[%tT] %s%n", System.currentTimeMillis(), message);
    }
}
