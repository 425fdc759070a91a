package dev.kiln.node.pid1;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * Reaps orphans re-parented to PID 1, found as zombies in /proc. The JVM waits for its own children by PID the moment
 * they end, so a zombie of PID 1 still there a scan later is an orphan; reaping it sooner could steal a child's exit
 * status from the JVM. (The JVM's list of its children cannot tell them apart: at PID 1 it holds every orphan too.)
 */
final class Reaper {

    private Reaper() {
    }

    static void start() {
        Thread thread = new Thread(Reaper::loop, "init-reaper");
        thread.setDaemon(true);
        thread.start();
    }

    /** The zombies to reap now: those seen in the previous scan as well. */
    static Set<Integer> lingering(Set<Integer> previousScan, Set<Integer> thisScan) {
        Set<Integer> both = new HashSet<>(thisScan);
        both.retainAll(previousScan);
        return both;
    }

    private static void loop() {
        Set<Integer> previous = Set.of();
        while (true) {
            try {
                Thread.sleep(1000);
                Set<Integer> zombies = zombiesOfPid1();
                for (int pid : lingering(previous, zombies)) {
                    Libc.C.waitpid(pid, new int[1], Libc.WNOHANG);
                }
                previous = zombies;
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException | IOException e) {
                Init.say("reaper: " + e.getMessage());
            }
        }
    }

    private static Set<Integer> zombiesOfPid1() throws IOException {
        Set<Integer> zombies = new HashSet<>();
        try (var entries = Files.list(Path.of("/proc"))) {
            for (Path entry : entries.toList()) {
                String name = entry.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                String stat;
                try {
                    stat = Files.readString(entry.resolve("stat"));
                } catch (IOException gone) {
                    continue;
                }
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                if (fields[0].equals("Z") && fields[1].equals("1")) {
                    zombies.add(Integer.parseInt(name));
                }
            }
        }
        return zombies;
    }
}
