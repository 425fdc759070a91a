package dev.kiln.testenv;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every configuration an etcd cluster went through, merged from the logs of all its members. etcd's raft writes
 * {@code <id> switched to configuration voters=(…) learners=(…)} each time a member applies a membership change,
 * in raft order, and a restarted member writes them again from its first entry. Each process's lines are one ordered
 * run; runs of different members are merged into one chain by their order (ties by the first time any member logged
 * a configuration). Member IDs are never reused, so a configuration occurs once in a cluster's life.
 *
 * <p>The history is checked step by step: each configuration must follow from the one before by exactly one
 * membership change (a missing step means a log is missing, and the history cannot vouch for that moment), the
 * first must be a one-member cluster, and at no point may there be more than one learner or, from a given moment on,
 * more members than allowed.
 */
public final class EtcdMembershipHistory {

    /** One cluster configuration: member IDs in decimal, as etcd's raft logs them. */
    public record Configuration(Set<String> voters, Set<String> learners) {
        public Configuration {
            voters = Set.copyOf(new TreeSet<>(voters));
            learners = Set.copyOf(new TreeSet<>(learners));
        }

        public int members() {
            return voters.size() + learners.size();
        }

        boolean isEmpty() {
            return members() == 0;
        }

        @Override
        public String toString() {
            return "voters=" + new TreeSet<>(voters) + (learners.isEmpty() ? "" : " learners=" + new TreeSet<>(learners));
        }
    }

    /** A configuration of the merged history and the first time any member logged it. */
    public record Entry(Configuration configuration, Instant firstSeen, String firstSeenBy) {
    }

    /** One configuration line of one member's log. */
    record Observation(String node, Instant at, Configuration configuration) {
    }

    private static final Pattern SWITCHED = Pattern.compile(
            "\"ts\":\"([^\"]+)\".*switched to configuration voters=\\(([0-9 ]*)\\)(?: learners=\\(([0-9 ]*)\\))?");
    private static final String PROCESS_START = "\"msg\":\"starting an etcd server\"";

    private final List<Entry> entries;
    private final List<String> problems;

    private EtcdMembershipHistory(List<Entry> entries, List<String> problems) {
        this.entries = List.copyOf(entries);
        this.problems = List.copyOf(problems);
    }

    /** Reads every machine's etcd service log (the rotated file first). */
    public static EtcdMembershipHistory read(Machines machines) {
        Map<String, List<String>> logs = new LinkedHashMap<>();
        for (Machines.Machine machine : machines.list()) {
            List<String> lines = new ArrayList<>();
            Path dir = machine.root().resolve("EPHEMERAL/logs");
            for (Path log : List.of(dir.resolve("etcd.log.1"), dir.resolve("etcd.log"))) {
                try {
                    if (Files.exists(log)) {
                        lines.addAll(Files.readAllLines(log));
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException("reading " + log, e);
                }
            }
            logs.put(machine.name(), lines);
        }
        return of(logs);
    }

    /** Merges the logs, each a list of lines of one machine's etcd service log in the order they were written. */
    public static EtcdMembershipHistory of(Map<String, List<String>> logsByNode) {
        List<List<Observation>> runs = new ArrayList<>();
        logsByNode.forEach((node, lines) -> runs.addAll(runs(node, lines)));
        return merge(runs);
    }

    /** The ordered runs of one log: one per etcd process, without repeats and without the empty start. */
    static List<List<Observation>> runs(String node, List<String> lines) {
        List<List<Observation>> runs = new ArrayList<>();
        List<Observation> current = new ArrayList<>();
        for (String line : lines) {
            if (line.contains(PROCESS_START)) {
                closeRun(runs, current);
                current = new ArrayList<>();
                continue;
            }
            Matcher m = SWITCHED.matcher(line);
            if (!m.find()) {
                continue;
            }
            Instant at;
            try {
                at = Instant.parse(m.group(1));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(node + ": unreadable timestamp in " + line, e);
            }
            Configuration configuration = new Configuration(ids(m.group(2)), ids(m.group(3)));
            if (configuration.isEmpty()) {
                continue;
            }
            if (!current.isEmpty() && current.get(current.size() - 1).configuration().equals(configuration)) {
                continue;
            }
            current.add(new Observation(node, at, configuration));
        }
        closeRun(runs, current);
        return runs;
    }

    private static void closeRun(List<List<Observation>> runs, List<Observation> run) {
        if (!run.isEmpty()) {
            runs.add(List.copyOf(run));
        }
    }

    private static Set<String> ids(String text) {
        Set<String> ids = new LinkedHashSet<>();
        if (text != null) {
            for (String id : text.trim().split(" +")) {
                if (!id.isEmpty()) {
                    ids.add(id);
                }
            }
        }
        return ids;
    }

    /** Orders the configurations so that every run's order holds; among those free to come next, earliest first. */
    static EtcdMembershipHistory merge(List<List<Observation>> runs) {
        Map<Configuration, Entry> first = new HashMap<>();
        Map<Configuration, Set<Configuration>> next = new HashMap<>();
        Map<Configuration, Integer> before = new HashMap<>();
        for (List<Observation> run : runs) {
            for (int i = 0; i < run.size(); i++) {
                Observation o = run.get(i);
                first.merge(o.configuration(), new Entry(o.configuration(), o.at(), o.node()),
                        (a, b) -> b.firstSeen().isBefore(a.firstSeen()) ? b : a);
                next.computeIfAbsent(o.configuration(), c -> new LinkedHashSet<>());
                before.putIfAbsent(o.configuration(), 0);
                if (i > 0 && next.get(run.get(i - 1).configuration()).add(o.configuration())) {
                    before.merge(o.configuration(), 1, Integer::sum);
                }
            }
        }
        PriorityQueue<Entry> ready = new PriorityQueue<>(Comparator.comparing(Entry::firstSeen)
                .thenComparing(entry -> entry.configuration().toString()));
        before.forEach((configuration, count) -> {
            if (count == 0) {
                ready.add(first.get(configuration));
            }
        });
        List<Entry> ordered = new ArrayList<>();
        while (!ready.isEmpty()) {
            Entry entry = ready.poll();
            ordered.add(entry);
            for (Configuration successor : next.get(entry.configuration())) {
                if (before.merge(successor, -1, Integer::sum) == 0) {
                    ready.add(first.get(successor));
                }
            }
        }
        List<String> problems = new ArrayList<>();
        if (ordered.size() < first.size()) {
            problems.add("members logged configurations in contradicting orders: " + (first.size() - ordered.size())
                    + " configuration(s) cannot be placed");
        }
        if (first.isEmpty()) {
            problems.add("no member logged any configuration");
        } else if (!ordered.isEmpty() && !(ordered.get(0).configuration().voters().size() == 1
                && ordered.get(0).configuration().learners().isEmpty())) {
            problems.add("the history starts with " + ordered.get(0).configuration()
                    + ", not with a one-member cluster: its beginning is missing");
        }
        for (int i = 1; i < ordered.size(); i++) {
            Configuration from = ordered.get(i - 1).configuration();
            Configuration to = ordered.get(i).configuration();
            if (change(from, to) == null) {
                problems.add("step " + i + ": " + from + " to " + to + " is not one membership change;"
                        + " a configuration between them is missing from every log");
            }
        }
        return new EtcdMembershipHistory(ordered, problems);
    }

    /** The one membership change that leads from {@code from} to {@code to}, or null when there is none. */
    static String change(Configuration from, Configuration to) {
        Set<String> allFrom = union(from);
        Set<String> allTo = union(to);
        Set<String> added = minus(allTo, allFrom);
        Set<String> removed = minus(allFrom, allTo);
        Set<String> promoted = new TreeSet<>(from.learners());
        promoted.retainAll(to.voters());
        Set<String> demoted = new TreeSet<>(from.voters());
        demoted.retainAll(to.learners());
        int changes = added.size() + removed.size() + promoted.size() + demoted.size();
        if (changes != 1 || !demoted.isEmpty()) {
            return null;
        }
        if (!added.isEmpty()) {
            String id = added.iterator().next();
            return (to.learners().contains(id) ? "add learner " : "add voter ") + id;
        }
        return !removed.isEmpty() ? "remove " + removed.iterator().next() : "promote " + promoted.iterator().next();
    }

    private static Set<String> union(Configuration c) {
        Set<String> all = new TreeSet<>(c.voters());
        all.addAll(c.learners());
        return all;
    }

    private static Set<String> minus(Set<String> a, Set<String> b) {
        Set<String> rest = new TreeSet<>(a);
        rest.removeAll(b);
        return rest;
    }

    public List<Entry> entries() {
        return entries;
    }

    /** Whether the logs make one chain of single membership changes that starts with the bootstrap member. */
    public List<String> gaps() {
        return problems;
    }

    /**
     * Every way the history breaks the rules: its gaps, any configuration with more than one learner, and any
     * configuration first logged at or after {@code from} with more than {@code maxMembers} members (learners count).
     * A configuration that holds at {@code from} was logged before it, so the one in force then is checked too.
     */
    public List<String> violations(int maxMembers, Instant from) {
        List<String> violations = new ArrayList<>(problems);
        for (int i = 0; i < entries.size(); i++) {
            Entry entry = entries.get(i);
            Configuration c = entry.configuration();
            if (c.learners().size() > 1) {
                violations.add("step " + i + " (" + entry.firstSeen() + ", " + entry.firstSeenBy() + "): "
                        + c.learners().size() + " learners in " + c);
            }
            boolean inForceFrom = !entry.firstSeen().isBefore(from)
                    || i + 1 == entries.size() || !entries.get(i + 1).firstSeen().isBefore(from);
            if (inForceFrom && c.members() > maxMembers) {
                violations.add("step " + i + " (" + entry.firstSeen() + ", " + entry.firstSeenBy() + "): "
                        + c.members() + " members, more than " + maxMembers + ", in " + c);
            }
        }
        return violations;
    }

    /** The largest number of members of any configuration in force at or after {@code from}. */
    public int maxMembers(Instant from) {
        int max = 0;
        for (int i = 0; i < entries.size(); i++) {
            boolean inForceFrom = !entries.get(i).firstSeen().isBefore(from)
                    || i + 1 == entries.size() || !entries.get(i + 1).firstSeen().isBefore(from);
            if (inForceFrom) {
                max = Math.max(max, entries.get(i).configuration().members());
            }
        }
        return max;
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < entries.size(); i++) {
            Entry entry = entries.get(i);
            out.append(i).append(' ').append(entry.firstSeen()).append(' ').append(entry.firstSeenBy()).append(' ')
                    .append(entry.configuration()).append(i > 0 ? "  (" + change(entries.get(i - 1).configuration(),
                            entry.configuration()) + ")" : "").append('\n');
        }
        return out.toString();
    }
}
