package dev.kiln.testenv.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.testenv.HackScript;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The smoke mode of hack/bench/etcd-backup, so the benchmark keeps working between full runs. */
class EtcdBackupBenchSmokeTest {

    @Test
    void theSmokeRunReportsASuccessfulBackupAndRecovery(@TempDir Path work) throws Exception {
        ByteArrayOutputStream figures = new ByteArrayOutputStream();
        EtcdBackupBench.run(EtcdBackupBench.Options.parse(HackScript.REPO, work, "--smoke"),
                new PrintStream(figures, true, StandardCharsets.UTF_8), System.err);

        String out = figures.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("backup OK: 1 round(s)") && out.matches("(?s).*etcd revision \\d+.*"), out);
        assertTrue(out.contains("recovery OK: 1 round(s), every node healthy with all "), out);
        assertTrue(out.contains("backup throughput (MB/s)"), out);
    }
}
