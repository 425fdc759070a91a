package dev.kiln.kilnctl.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.kilnctl.Kilnctl;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Node flags given before the command, as talosctl's global flags, reach the node command. */
class GlobalNodeFlagsTest {

    /** No node listens in this test: the endpoint cannot be reached, and the error names it and the nodes. */
    private static String relayFailure(String node) {
        return "error: endpoint 127.0.86.1:50000 relaying to " + node + ":50000: UNAVAILABLE";
    }

    @TempDir
    Path dir;

    private final StringWriter err = new StringWriter();

    private int kilnctl(String... args) {
        CommandLine cli = Kilnctl.commandLine();
        cli.setOut(new PrintWriter(new StringWriter(), true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @BeforeEach
    void generateAKilnconfig() {
        assertEquals(0, kilnctl("gen", "config", "flags", "https://127.0.86.1:6443", "--output", dir.toString()),
                err.toString());
    }

    @Test
    void nodesAndEndpointsBeforeTheCommandAreUsed() {
        assertEquals(1, kilnctl("-n", "127.0.86.2", "-e", "127.0.86.1", "--kilnconfig",
                dir.resolve("kilnconfig").toString(), "version"));
        assertTrue(err.toString().contains(relayFailure("127.0.86.2")), err.toString());
    }

    @Test
    void flagsBeforeAndAfterTheCommandCombine() {
        assertEquals(1, kilnctl("-e", "127.0.86.1", "etcd", "members", "-n", "127.0.86.3", "--kilnconfig",
                dir.resolve("kilnconfig").toString()));
        assertTrue(err.toString().contains(relayFailure("127.0.86.3")), err.toString());
    }

    @Test
    void aFlagAfterTheCommandWinsOverTheSameFlagBeforeIt() {
        assertEquals(1, kilnctl("--kilnconfig", dir.resolve("absent").toString(), "services", "-n", "127.0.86.2",
                "-e", "127.0.86.1", "--kilnconfig", dir.resolve("kilnconfig").toString()));
        assertTrue(err.toString().contains(relayFailure("127.0.86.2")), err.toString());
    }

    @Test
    void aKilnconfigBeforeTheCommandIsTheOneRead() {
        assertEquals(1, kilnctl("--kilnconfig", dir.resolve("absent").toString(), "health", "-n", "127.0.86.2"));
        assertTrue(err.toString().contains("no kilnconfig at " + dir.resolve("absent")), err.toString());
    }
}
