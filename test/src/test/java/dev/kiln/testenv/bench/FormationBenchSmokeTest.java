package dev.kiln.testenv.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.testenv.HackScript;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One run of hack/bench/formation (raw etcd on 127.0.94.x, Kiln on 127.0.95.x), so the benchmark keeps working between
 * full runs. It checks that every figure and phase was measured, never what the figures are.
 */
class FormationBenchSmokeTest {

    private static final String NUMBER = "\\d+\\.\\d+";

    @Test
    @Timeout(value = 900, unit = TimeUnit.SECONDS)
    void oneRunPrintsEveryFigureBothRatiosAndThePhasesOfTheFormation(@TempDir Path work) throws Exception {
        ByteArrayOutputStream figures = new ByteArrayOutputStream();
        FormationBench.run(FormationBench.Options.parse(HackScript.REPO, work, "--runs", "1"),
                new PrintStream(figures, true, StandardCharsets.UTF_8), System.err);

        String out = figures.toString(StandardCharsets.UTF_8);
        System.out.print(out);
        for (String figure : List.of("1. raw etcd", "2. Kiln", "3. Kiln", "4. raw etcd")) {
            assertTrue(out.lines().anyMatch(line -> line.startsWith(figure)
                    && line.matches(".*\\s" + NUMBER + "\\s+" + NUMBER + "\\s+" + NUMBER)), figure + " in:\n" + out);
        }
        assertTrue(out.lines().anyMatch(line -> line.matches("formation_median_s=" + NUMBER
                + " replacement_median_s=" + NUMBER + " raw_formation_median_s=" + NUMBER
                + " raw_replacement_median_s=" + NUMBER + " ratio_formation=" + NUMBER
                + " ratio_replacement=" + NUMBER)), "the summary line in:\n" + out);
        assertTrue(out.contains("ratio 2/1 (medians): ") && out.contains("ratio 3/4 (medians): "), out);
        for (String phase : List.of("first claim: ", "first config sent: ", "first node configured: ",
                "bootstrap record in the management API", "Bootstrap call: ", "Bootstrapped: ",
                "3 voting members agree on every control-plane node: formed")) {
            assertTrue(out.contains(phase), "phase '" + phase + "' in:\n" + out);
        }
        assertEquals(2, out.lines().filter(line -> line.contains("join done: ")).count(), "joins in:\n" + out);
        assertEquals(5, out.lines().filter(line -> line.contains("Machine Running: ")).count(),
                "Machines Running in:\n" + out);
    }
}
