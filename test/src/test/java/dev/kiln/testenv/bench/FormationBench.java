package dev.kiln.testenv.bench;

import dev.kiln.machinery.pki.CertificateAuthority;
import dev.kiln.machinery.pki.SecretsBundle;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Formation and replacement times of Kiln next to etcd formed by hand, on this machine in one process tree: (1) a raw
 * 3-member TLS etcd cluster with a static initial cluster, to 3 healthy endpoints; (2) Kiln forming {@code examples/}
 * (3 control-plane voters and 2 workers Running); (3) Kiln replacing a deleted control-plane Machine, to 3 voters
 * without the old member; (4) the raw replacement: member remove, member add and a fresh etcd, to 3 healthy. Progress
 * goes to {@code log}; min / median / max, the ratios 2/1 and 3/4 and the phases of one Kiln formation go to
 * {@code out}. Run it with hack/bench/formation.
 */
public final class FormationBench {

    /** Raw etcd: members on .1-.3, the replacement on .4. */
    static final String RAW_SUBNET = "127.0.94";
    /** Kiln's six machines on .1-.6. */
    static final String KILN_SUBNET = "127.0.95";
    private static final Duration RAW_WITHIN = Duration.ofSeconds(60);
    private static final Duration KILN_WITHIN = Duration.ofSeconds(300);
    /**
     * Both replacements start on a cluster steady this long: with --strict-reconfig-check etcd refuses to remove a
     * voter until its peers have been connected for its 5 s health interval.
     */
    static final Duration STEADY = Duration.ofSeconds(6);

    public record Options(Path repo, Path work, int runs) {

        public static Options parse(Path repo, Path work, String... args) {
            int runs = 3;
            for (int i = 0; i < args.length; i++) {
                if (args[i].equals("--runs")) {
                    if (i + 1 >= args.length || !args[i + 1].matches("\\d+")) {
                        throw new IllegalArgumentException("--runs needs a whole number");
                    }
                    runs = Integer.parseInt(args[++i]);
                } else {
                    throw new IllegalArgumentException("unknown argument " + args[i] + " (known: --runs N)");
                }
            }
            if (runs <= 0) {
                throw new IllegalArgumentException("--runs must be positive, was " + runs);
            }
            return new Options(repo, work, runs);
        }
    }

    /** One run's four figures, and the phases of its Kiln formation. */
    private record Run(Duration rawFormation, Duration kilnFormation, Duration kilnReplacement,
            Duration rawReplacement, FormationTimeline timeline) {
    }

    /** The raw cluster's two figures in one round. */
    private record RawRound(Duration formation, Duration replacement) {
    }

    /** Usage: FormationBench REPO WORK_DIR [--runs N] */
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            throw new IllegalArgumentException("usage: FormationBench REPO WORK_DIR [--runs N]");
        }
        String[] rest = java.util.Arrays.copyOfRange(args, 2, args.length);
        run(Options.parse(Path.of(args[0]), Path.of(args[1]), rest), System.out, System.err);
        // fabric8's mock server and gRPC leave non-daemon threads behind
        System.exit(0);
    }

    public static void run(Options options, PrintStream out, PrintStream log) throws Exception {
        Files.createDirectories(options.work());
        CertificateAuthority etcdCa = SecretsBundle.generate().etcd();
        List<String> rawMembers = List.of(RAW_SUBNET + ".1", RAW_SUBNET + ".2", RAW_SUBNET + ".3");
        // the first TLS handshakes and etcdctl start of this JVM are slow: one raw round first, not counted
        log.println("warm-up: one raw etcd formation and replacement, not counted");
        rawRound(options.work().resolve("warm-up"), etcdCa, rawMembers);
        String loadBefore = loadAverage();
        List<Run> runs = new ArrayList<>();
        for (int i = 1; i <= options.runs(); i++) {
            Path runDir = options.work().resolve("run-" + i);
            log.println("run " + i + " of " + options.runs() + ": raw etcd");
            RawRound raw = rawRound(runDir.resolve("raw"), etcdCa, rawMembers);
            log.printf("raw etcd formed in %.3f s, replaced a member in %.3f s%n", seconds(raw.formation()),
                    seconds(raw.replacement()));
            log.println("run " + i + " of " + options.runs() + ": Kiln");
            KilnFormation.Result kiln = new KilnFormation(options.repo(), runDir.resolve("kiln"), KILN_SUBNET,
                    KILN_WITHIN, log).run();
            runs.add(new Run(raw.formation(), kiln.formation(), kiln.replacement(), raw.replacement(),
                    kiln.timeline()));
        }
        report(runs, loadBefore, out);
    }

    /** Forms the raw cluster and replaces its first member; returns both durations. */
    private static RawRound rawRound(Path dir, CertificateAuthority etcdCa, List<String> members)
            throws InterruptedException {
        try (RawEtcdCluster raw = RawEtcdCluster.prepare(dir, etcdCa)) {
            Duration formation = raw.form(members, RAW_WITHIN);
            Thread.sleep(STEADY.toMillis());
            Duration replacement = raw.replaceFollower(RAW_SUBNET + ".4", RAW_WITHIN);
            return new RawRound(formation, replacement);
        }
    }

    private static void report(List<Run> runs, String loadBefore, PrintStream out) {
        out.printf("formation benchmark: %d run(s) on %d CPU(s); load average before %s, after %s%n", runs.size(),
                Runtime.getRuntime().availableProcessors(), loadBefore, loadAverage());
        out.printf("%-62s %8s %8s %8s%n", "figure (seconds)", "min", "median", "max");
        Spread rawFormation = Spread.of(runs.stream().map(Run::rawFormation).toList());
        Spread kilnFormation = Spread.of(runs.stream().map(Run::kilnFormation).toList());
        Spread kilnReplacement = Spread.of(runs.stream().map(Run::kilnReplacement).toList());
        Spread rawReplacement = Spread.of(runs.stream().map(Run::rawReplacement).toList());
        row(out, "1. raw etcd: 3-member TLS cluster, start to 3 healthy", rawFormation);
        row(out, "2. Kiln: apply examples/ to 3 voters + 2 workers Running", kilnFormation);
        row(out, "3. Kiln: delete 1 of 3 control-plane Machines to 3 voters", kilnReplacement);
        row(out, "4. raw etcd: member remove + add + fresh etcd to 3 healthy", rawReplacement);
        double ratioFormation = kilnFormation.median() / rawFormation.median();
        double ratioReplacement = kilnReplacement.median() / rawReplacement.median();
        out.printf(Locale.ROOT, "ratio 2/1 (medians): %.1f%n", ratioFormation);
        out.printf(Locale.ROOT, "ratio 3/4 (medians): %.1f%n", ratioReplacement);
        Run median = runs.stream().sorted(Comparator.comparing(Run::kilnFormation)).toList()
                .get((runs.size() - 1) / 2);
        out.printf(Locale.ROOT, "phases of the median Kiln formation (%.2f s), seconds after applying examples/:%n",
                seconds(median.kilnFormation()));
        median.timeline().print(out);
        out.printf(Locale.ROOT, "formation_median_s=%.2f replacement_median_s=%.2f raw_formation_median_s=%.3f"
                + " raw_replacement_median_s=%.3f ratio_formation=%.1f ratio_replacement=%.1f%n",
                kilnFormation.median(), kilnReplacement.median(), rawFormation.median(), rawReplacement.median(),
                ratioFormation, ratioReplacement);
    }

    private static void row(PrintStream out, String name, Spread spread) {
        out.printf(Locale.ROOT, "%-62s %8.3f %8.3f %8.3f%n", name, spread.min(), spread.median(), spread.max());
    }

    /** Min, median (the lower middle for an even count) and max of some durations, in seconds. */
    record Spread(double min, double median, double max) {

        static Spread of(List<Duration> durations) {
            List<Double> sorted = durations.stream().map(FormationBench::seconds).sorted().toList();
            return new Spread(sorted.get(0), sorted.get((sorted.size() - 1) / 2), sorted.get(sorted.size() - 1));
        }
    }

    private static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }

    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException e) {
            return "unknown";
        }
    }
}
