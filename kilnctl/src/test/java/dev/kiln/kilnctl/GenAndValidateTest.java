package dev.kiln.kilnctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.machinery.clientconfig.KilnConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class GenAndValidateTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int kilnctl(String... args) {
        CommandLine cli = Kilnctl.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private Path generate() {
        assertEquals(0, kilnctl("gen", "config", "demo", "https://10.5.0.2:6443", "--output", dir.toString()), err.toString());
        return dir;
    }

    @Test
    void genConfigWritesSecretsBothRolesAndAKilnconfig() throws Exception {
        generate();
        for (String name : new String[] {"secrets.yaml", "controlplane.yaml", "worker.yaml", "kilnconfig"}) {
            assertTrue(Files.size(dir.resolve(name)) > 0, name);
        }
        KilnConfig client = KilnConfig.load(dir.resolve("kilnconfig"));
        assertEquals("admin@demo", client.currentContext());
        assertEquals(java.util.List.of("10.5.0.2"), client.current().endpoints());
    }

    @Test
    void generatedConfigsValidateCleanly() {
        generate();
        assertEquals(0, kilnctl("validate", dir.resolve("controlplane.yaml").toString()), err.toString());
        assertEquals(0, kilnctl("validate", dir.resolve("worker.yaml").toString()), err.toString());
    }

    @Test
    void genConfigRefusesToOverwriteWithoutForce() {
        generate();
        assertEquals(1, kilnctl("gen", "config", "demo", "https://10.5.0.2:6443", "--output", dir.toString()));
        assertTrue(err.toString().contains("already exists"), err.toString());
    }

    @Test
    void genConfigWithSecretsReusesTheBundle() throws Exception {
        generate();
        Path second = dir.resolve("again");
        assertEquals(0, kilnctl("gen", "config", "demo", "https://10.5.0.2:6443", "--output", second.toString(),
                "--with-secrets", dir.resolve("secrets.yaml").toString()), err.toString());
        String first = Files.readString(dir.resolve("controlplane.yaml"));
        assertEquals(first, Files.readString(second.resolve("controlplane.yaml")));
    }

    private Path broken(String from, String to) throws Exception {
        generate();
        Path file = dir.resolve("broken.yaml");
        String original = Files.readString(dir.resolve("controlplane.yaml"));
        String changed = original.replaceFirst(from, to);
        assertTrue(!changed.equals(original), "test setup: pattern " + from + " not found");
        Files.writeString(file, changed);
        return file;
    }

    @Test
    void badTypeIsReportedByPathWithExitCodeOne() throws Exception {
        Path file = broken("type: controlplane", "type: controlplain");
        assertEquals(1, kilnctl("validate", file.toString()));
        assertTrue(err.toString().contains("machine.type: must be controlplane or worker"), err.toString());
    }

    @Test
    void missingEndpointIsReportedByPath() throws Exception {
        Path file = broken("\n    endpoint: https://10.5.0.2:6443", "\n    {}");
        assertEquals(1, kilnctl("validate", file.toString()));
        assertTrue(err.toString().contains("cluster.controlPlane.endpoint: is required"), err.toString());
    }

    @Test
    void malformedCaIsReportedByPath() throws Exception {
        Path file = broken("(?m)^(  ca:\\n    crt: )\\S+", "$1bm90IGEgY2VydGlmaWNhdGU=");
        assertEquals(1, kilnctl("validate", file.toString()));
        assertTrue(err.toString().contains("machine.ca.crt:"), err.toString());
    }

    @Test
    void unknownKeyIsReportedByPath() throws Exception {
        Path file = broken("  install:", "  kubelet:\n    image: x\n  install:");
        assertEquals(1, kilnctl("validate", file.toString()));
        assertTrue(err.toString().contains("machine.kubelet: unknown key"), err.toString());
    }

    @Test
    void everyProblemIsPrintedNotJustTheFirst() throws Exception {
        Path file = broken("type: controlplane", "type: gpu\n  colour: blue");
        assertEquals(1, kilnctl("validate", file.toString()));
        assertTrue(err.toString().contains("machine.type:"), err.toString());
        assertTrue(err.toString().contains("machine.colour: unknown key"), err.toString());
    }
}
