package dev.kiln.testenv.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The phases of one Kiln formation, each stamped: the operator log's own timestamps, node consoles and etcd logs as
 * {@link LineClock} saw their lines, and what the benchmark saw in the management API.
 */
final class FormationTimeline {

    private static final Pattern CLAIM = Pattern.compile("KilnMachine \\S+/(\\S+) claimed KilnServer (\\S+)");
    private static final Pattern CONFIG_SENT = Pattern.compile("KilnMachine \\S+/(\\S+): config sent to node (\\S+)");
    private static final Pattern BOOTSTRAP_CALL = Pattern.compile("bootstrap record names machine (\\S+?),.*calling Bootstrap");
    private static final Pattern BOOTSTRAPPED = Pattern.compile(": Bootstrapped: etcd bootstrapped on machine (\\S+?),");
    private static final Pattern CONVERGED = Pattern.compile("EtcdConverged: .*\\((\\d+) voting members?\\)");
    private static final Pattern CONFIGURED = Pattern.compile("^running: machine API on \\S+ \\(mutual TLS\\), (.*)$");
    private static final Pattern JOINING = Pattern.compile("^\\[kiln\\] joining cluster \\S+ as learner");
    private static final Pattern JOINED = Pattern.compile(
            "^\\[kiln\\] etcd joined cluster \\S+ as member \\S+; learner add to promoted took (\\d+) ms");

    /** One phase: when, and what happened. */
    record Phase(Instant at, String what) {
    }

    private final Instant applied;
    private final List<Phase> phases = new ArrayList<>();

    FormationTimeline(Instant applied) {
        this.applied = applied;
    }

    void add(Instant at, String what) {
        phases.add(new Phase(at, what));
    }

    /** The operator's phases, from its log lines (each starts with an ISO-8601 instant). */
    void addOperatorLog(String log) {
        boolean firstClaim = true;
        boolean firstConfig = true;
        Set<String> converged = new HashSet<>();
        for (String line : log.lines().toList()) {
            Instant at = instantOf(line);
            if (at == null || at.isBefore(applied)) {
                continue;
            }
            Matcher m;
            if ((m = CLAIM.matcher(line)).find()) {
                add(at, (firstClaim ? "first claim: " : "claim: ") + m.group(1) + " claimed " + m.group(2));
                firstClaim = false;
            } else if ((m = CONFIG_SENT.matcher(line)).find()) {
                add(at, (firstConfig ? "first config sent: " : "config sent: ") + m.group(1) + " -> " + m.group(2));
                firstConfig = false;
            } else if ((m = BOOTSTRAP_CALL.matcher(line)).find()) {
                add(at, "Bootstrap call: bootstrap record names " + m.group(1));
            } else if ((m = BOOTSTRAPPED.matcher(line)).find()) {
                add(at, "Bootstrapped: etcd runs on " + m.group(1));
            } else if ((m = CONVERGED.matcher(line)).find() && converged.add(m.group(1))) {
                add(at, "etcd converged with " + m.group(1) + " voting member(s)");
            }
        }
    }

    /** The nodes' phases: consoles labelled by server, etcd logs labelled {@code <server> etcd}. */
    void addNodeLines(List<LineClock.Stamped> lines) {
        boolean firstConfigured = true;
        for (LineClock.Stamped stamped : lines) {
            Matcher m;
            if ((m = CONFIGURED.matcher(stamped.line())).find()) {
                add(stamped.at(), (firstConfigured ? "first node configured: " : "node configured: ")
                        + stamped.source() + " runs as " + m.group(1));
                firstConfigured = false;
            } else if (JOINING.matcher(stamped.line()).find()) {
                add(stamped.at(), "join starts: " + stamped.source() + " adds itself as a learner");
            } else if ((m = JOINED.matcher(stamped.line())).find()) {
                add(stamped.at(), "join done: " + stamped.source() + " promoted (learner add to promoted "
                        + m.group(1) + " ms)");
            }
        }
    }

    /** The phases in order, as seconds after applying {@code examples/}. */
    void print(PrintStream out) {
        out.printf("  %+8.2f  applied examples/%n", 0.0);
        phases.stream().sorted(Comparator.comparing(Phase::at)).forEach(phase -> out.printf("  %+8.2f  %s%n",
                Duration.between(applied, phase.at()).toMillis() / 1000.0, phase.what()));
    }

    List<Phase> phases() {
        return List.copyOf(phases);
    }

    private static Instant instantOf(String line) {
        int space = line.indexOf(' ');
        if (space < 20) {
            return null;
        }
        try {
            return Instant.parse(line.substring(0, space));
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
