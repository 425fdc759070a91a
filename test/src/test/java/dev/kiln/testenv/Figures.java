package dev.kiln.testenv;

import java.time.Duration;

/** The measured figures of a scenario, one {@code FIGURE} line each on standard output. */
final class Figures {

    private Figures() {
    }

    static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    static void print(String name, Duration duration) {
        System.out.printf("FIGURE %s %.1f s%n", name, duration.toMillis() / 1000.0);
    }

    static void peakRss(String scenario, PeakRssWatch rss) {
        rss.peaksMib().forEach((process, mib) ->
                System.out.printf("FIGURE %s peak-rss %s %d MiB%n", scenario, process, mib));
    }
}
