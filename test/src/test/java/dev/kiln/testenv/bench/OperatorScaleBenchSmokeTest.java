package dev.kiln.testenv.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.testenv.HackScript;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * hack/bench/operator-scale's path with 10 clusters of simulated machines (on 127.0.88.101-150), so the simulator and
 * the benchmark keep working between full runs. No figure is checked: only that every cluster forms without errors.
 */
class OperatorScaleBenchSmokeTest {

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void tenClustersFormWithOneBootstrapEachAndNoErrors(@TempDir Path work) throws Exception {
        ByteArrayOutputStream figures = new ByteArrayOutputStream();
        OperatorScaleBench.Result result = OperatorScaleBench.run(OperatorScaleBench.Options.parse(HackScript.REPO,
                        work, "--clusters", "10", "--first-address", "127.0.88.101",
                        "--settle-s", "1",
                        "--steady-s", "5", "--timeout-s", "600"),
                new PrintStream(figures, true, StandardCharsets.UTF_8), System.err);

        String out = figures.toString(StandardCharsets.UTF_8);
        assertTrue(result.formedSeconds().isPresent(), out);
        assertEquals(10, result.bootstraps(), out);
        assertEquals(0, result.errors(), out);
        assertTrue(out.lines().reduce((a, b) -> b).orElse("").startsWith("clusters=10 machines=50 formed_s="), out);
    }
}
