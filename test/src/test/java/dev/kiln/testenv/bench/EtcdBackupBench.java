package dev.kiln.testenv.bench;

import dev.kiln.backupstore.BackupManifest;
import dev.kiln.backupstore.LocalS3;
import dev.kiln.backupstore.S3BackupStore;
import dev.kiln.backupstore.S3Destination;
import dev.kiln.capi.backup.RecoveryPlan;
import dev.kiln.capi.backup.SnapshotRestore;
import dev.kiln.capi.node.GrpcNodeConnector;
import dev.kiln.capi.node.NodeApi;
import dev.kiln.capi.node.NodeCredentials;
import dev.kiln.machinery.api.machine.ApplyConfigurationRequest;
import dev.kiln.machinery.client.ClientCredentials;
import dev.kiln.machinery.client.EtcdSnapshotResult;
import dev.kiln.machinery.client.MachineClient;
import dev.kiln.machinery.client.NodeAddress;
import dev.kiln.machinery.config.ConfigGenerator;
import dev.kiln.machinery.config.ConfigWriter;
import dev.kiln.machinery.config.MachineConfig;
import dev.kiln.machinery.config.MachineType;
import dev.kiln.machinery.pki.SecretsBundle;
import dev.kiln.testenv.Etcdctl;
import dev.kiln.testenv.Machines;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.function.BooleanSupplier;

/**
 * Backup and recovery of a real node-init control plane's etcd through the operator's code: the snapshot streamed by
 * {@link GrpcNodeConnector} into {@link S3BackupStore} (a LocalS3 in this JVM), and the recovery by
 * {@link SnapshotRestore} (S3 → EtcdRecover) then Bootstrap{recover_etcd} on a new node, until etcd is healthy and
 * holds every key. Progress goes to {@code log}, the figures to {@code out}. Run it with hack/bench/etcd-backup.
 */
public final class EtcdBackupBench {

    private static final String SUBNET = "127.0.81";
    private static final String S3_HOST = SUBNET + ".10";
    private static final String SOURCE = SUBNET + ".11";
    private static final String BUCKET = "bench";
    private static final String PREFIX = "/bench/";
    private static final double MB = 1_000_000.0;

    /** @param fillBytes how much value data goes into etcd; the snapshot is a little larger */
    public record Options(Path repo, Path work, long fillBytes, int valueBytes, int rounds) {

        public static Options parse(Path repo, Path work, String... args) {
            long fill = 50_000_000;
            int rounds = 3;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--smoke" -> {
                        fill = 4_000_000;
                        rounds = 1;
                    }
                    case "--size-mb" -> fill = (long) (Double.parseDouble(value(args, ++i, "--size-mb")) * MB);
                    case "--rounds" -> rounds = Integer.parseInt(value(args, ++i, "--rounds"));
                    default -> throw new IllegalArgumentException("unknown argument " + args[i]
                            + " (known: --smoke, --size-mb MB, --rounds N)");
                }
            }
            if (fill <= 0 || rounds <= 0) {
                throw new IllegalArgumentException("--size-mb and --rounds must be positive");
            }
            return new Options(repo, work, fill, 256 * 1024, rounds);
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
        }
    }

    /** Usage: EtcdBackupBench REPO WORK_DIR [--smoke] [--size-mb MB] [--rounds N] */
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            throw new IllegalArgumentException("usage: EtcdBackupBench REPO WORK_DIR [--smoke] [--size-mb MB] [--rounds N]");
        }
        String[] rest = java.util.Arrays.copyOfRange(args, 2, args.length);
        run(Options.parse(Path.of(args[0]), Path.of(args[1]), rest), System.out, System.err);
        // s3proxy and gRPC leave non-daemon threads behind
        System.exit(0);
    }

    private record Round(double seconds, long bytes, long heapPeakAboveBaseline) {}

    public static void run(Options options, PrintStream out, PrintStream log) throws Exception {
        SecretsBundle secrets = SecretsBundle.generate();
        GrpcNodeConnector connector = new GrpcNodeConnector(Duration.ofMinutes(5));
        List<Round> backups = new ArrayList<>();
        List<Round> recoveries = new ArrayList<>();
        long keys = (options.fillBytes() + options.valueBytes() - 1) / options.valueBytes();
        String clusterId;
        OptionalLong revision = OptionalLong.empty();
        String lastKey = null;
        Files.createDirectories(options.work());
        try (LocalS3 s3 = LocalS3.start(options.work().resolve("s3"), S3_HOST, BUCKET);
                Machines source = Machines.launch(options.repo(), options.work().resolve("nodes"),
                        List.of("bench-source"), List.of(SOURCE))) {
            S3Destination destination = s3.destination(BUCKET, "");
            Machines.Machine node = source.list().get(0);
            log.println("starting the source control plane on " + node.endpoint());
            configure(node, secrets, connector);
            try (NodeApi api = connector.connect(node.endpoint(), new NodeCredentials.ClusterAdmin(secrets))) {
                api.bootstrap();
                clusterId = Long.toHexString(api.etcdStatus().clusterId());
            }
            Etcdctl etcdctl = Etcdctl.forBundle(secrets, options.work().resolve("etcdctl"));
            List<String> endpoints = List.of(Etcdctl.clientUrl(node.address()));
            log.printf("filling etcd with %d keys of %d KiB%n", keys, options.valueBytes() / 1024);
            byte[] random = new byte[options.valueBytes()];
            new Random(1).nextBytes(random);
            // etcdctl reads the value from standard input; printable bytes keep it one value
            for (int i = 0; i < random.length; i++) {
                random[i] = (byte) ('a' + (random[i] & 0x0f));
            }
            String value = new String(random, StandardCharsets.US_ASCII);
            for (long i = 0; i < keys; i++) {
                etcdctl.putLarge(endpoints, PREFIX + String.format(Locale.ROOT, "%08d", i), value);
            }

            for (int round = 1; round <= options.rounds(); round++) {
                String key = "backups/round-" + round + ".db";
                HeapPeak heap = HeapPeak.start();
                long started = System.nanoTime();
                S3BackupStore.Streamed<EtcdSnapshotResult> snapshot;
                try (S3BackupStore store = S3BackupStore.open(destination, LocalS3.credentials())) {
                    snapshot = store.stream(key, sink -> {
                        try (NodeApi api = connector.connect(node.endpoint(), new NodeCredentials.EtcdBackup(secrets))) {
                            return api.etcdSnapshot(sink);
                        }
                    });
                    store.writeManifest(new BackupManifest(key, snapshot.uploaded().size(),
                            snapshot.uploaded().sha256(), clusterId, snapshot.source().etcdRevision(), Instant.now(),
                            node.name(), "bench"));
                }
                double seconds = (System.nanoTime() - started) / 1e9;
                Round result = new Round(seconds, snapshot.uploaded().size(), heap.stop());
                backups.add(result);
                revision = snapshot.source().etcdRevision();
                lastKey = key;
                log.printf("backup %d: %.2f s, %d bytes, etcd revision %s, heap peak +%.1f MB%n", round, seconds,
                        result.bytes(), revision.isPresent() ? revision.getAsLong() : "?",
                        result.heapPeakAboveBaseline() / MB);
            }

            for (int round = 1; round <= options.rounds(); round++) {
                String address = SUBNET + "." + (20 + round);
                try (Machines fresh = Machines.launch(options.repo(), options.work().resolve("nodes"),
                        List.of("bench-restore-" + round), List.of(address))) {
                    Machines.Machine target = fresh.list().get(0);
                    log.println("recovery " + round + ": configuring a new node on " + target.endpoint());
                    configure(target, secrets, connector);
                    RecoveryPlan.Source from = new RecoveryPlan.Source(destination, "bench-credentials", lastKey,
                            Optional.empty(), Optional.of(clusterId));
                    List<String> restored = List.of(Etcdctl.clientUrl(target.address()));
                    HeapPeak heap = HeapPeak.start();
                    long started = System.nanoTime();
                    long heapPeak;
                    SnapshotRestore.Uploaded uploaded;
                    try (NodeApi api = connector.connect(target.endpoint(), new NodeCredentials.ClusterAdmin(secrets))) {
                        uploaded = SnapshotRestore.upload(from, LocalS3.credentials(), api);
                        heapPeak = heap.stop();
                        api.bootstrap(true);
                        await("etcd on " + address + " healthy with all " + keys + " keys", Duration.ofMinutes(5),
                                () -> {
                                    try {
                                        return api.etcdStatus().healthy()
                                                && etcdctl.countPrefix(restored, PREFIX) == keys;
                                    } catch (RuntimeException e) {
                                        return false;
                                    }
                                });
                    }
                    double seconds = (System.nanoTime() - started) / 1e9;
                    recoveries.add(new Round(seconds, uploaded.size(), heapPeak));
                    log.printf("recovery %d: %.2f s, %d bytes uploaded, heap peak +%.1f MB%n", round, seconds,
                            uploaded.size(), heapPeak / MB);
                }
            }
        }
        long snapshotBytes = backups.get(0).bytes();
        out.printf(Locale.ROOT, "etcd backup bench: %d keys of %d KiB, snapshot %.1f MB, %d round(s), max heap %.0f MB,"
                        + " load average %s%n", keys, options.valueBytes() / 1024, snapshotBytes / MB,
                options.rounds(), Runtime.getRuntime().maxMemory() / MB, loadAverage());
        out.printf(Locale.ROOT, "%-62s %9s %9s %9s%n", "figure", "min", "median", "max");
        row(out, "backup: snapshot -> S3 object + manifest (s)", backups.stream().map(Round::seconds).toList());
        row(out, "backup throughput (MB/s)", backups.stream().map(r -> r.bytes() / MB / r.seconds()).toList());
        row(out, "recovery: S3 -> EtcdRecover -> Bootstrap -> all keys (s)",
                recoveries.stream().map(Round::seconds).toList());
        row(out, "recovery throughput (MB/s)", recoveries.stream().map(r -> r.bytes() / MB / r.seconds()).toList());
        row(out, "operator heap peak above baseline, backup upload (MB)",
                backups.stream().map(r -> r.heapPeakAboveBaseline() / MB).toList());
        row(out, "operator heap peak above baseline, recovery upload (MB)",
                recoveries.stream().map(r -> r.heapPeakAboveBaseline() / MB).toList());
        out.printf("backup OK: %d round(s), %d bytes, etcd revision %s%n", backups.size(), snapshotBytes,
                revision.isPresent() ? Long.toString(revision.getAsLong()) : "not reported");
        out.printf("recovery OK: %d round(s), every node healthy with all %d keys%n", recoveries.size(), keys);
    }

    /** In maintenance: applies a one-node control-plane config and waits for the node to answer with mutual TLS. */
    private static void configure(Machines.Machine machine, SecretsBundle secrets, GrpcNodeConnector connector) {
        String fingerprint = Machines.awaitFingerprint(machine, Duration.ofSeconds(60));
        MachineConfig config = ConfigGenerator.generate(secrets, MachineType.CONTROLPLANE,
                ConfigGenerator.Options.of("bench", "https://" + machine.address() + ":6443")
                        .withEtcdPeers(List.of(Etcdctl.clientUrl(machine.address()))));
        byte[] yaml = new ConfigWriter().write(config).getBytes(StandardCharsets.UTF_8);
        try (MachineClient client = MachineClient.connect(NodeAddress.parse(machine.endpoint()),
                ClientCredentials.Maintenance.pinned(fingerprint))) {
            client.applyConfiguration(yaml, ApplyConfigurationRequest.Mode.AUTO, false, null);
        }
        await(machine.name() + " configured", Duration.ofMinutes(2), () -> {
            try (NodeApi api = connector.connect(machine.endpoint(), new NodeCredentials.ClusterAdmin(secrets))) {
                return !api.version().maintenance();
            } catch (RuntimeException e) {
                return false;
            }
        });
    }

    private static void await(String what, Duration within, BooleanSupplier condition) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not within " + within + ": " + what);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for " + what, e);
            }
        }
    }

    private static void row(PrintStream out, String figure, List<Double> samples) {
        List<Double> sorted = samples.stream().sorted().toList();
        double median = sorted.size() % 2 == 1 ? sorted.get(sorted.size() / 2)
                : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2;
        out.printf(Locale.ROOT, "%-62s %9.2f %9.2f %9.2f%n", figure, sorted.get(0), median,
                sorted.get(sorted.size() - 1));
    }

    private static String loadAverage() {
        return String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    /**
     * The most heap in use while it runs, above what was in use after a GC at its start, sampled every millisecond.
     * It counts garbage not yet collected too, so it is an upper bound of what the upload holds.
     */
    private static final class HeapPeak {
        private final Thread sampler;
        private final long baseline;
        private volatile boolean running = true;
        private volatile long peak;

        private HeapPeak(long baseline) {
            this.baseline = baseline;
            this.peak = baseline;
            this.sampler = new Thread(() -> {
                while (running) {
                    peak = Math.max(peak, used());
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "heap-peak");
            sampler.setDaemon(true);
        }

        static HeapPeak start() {
            System.gc();
            HeapPeak heap = new HeapPeak(used());
            heap.sampler.start();
            return heap;
        }

        long stop() throws InterruptedException {
            running = false;
            sampler.join();
            return Math.max(0, peak - baseline);
        }

        private static long used() {
            return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        }
    }
}
