package dev.kiln.kilnctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kilnctl validate} applies the node's rules on {@code machine.ca.key}: required on a control plane only. */
class ValidateMachineCaKeyTest {

    @TempDir
    Path dir;

    private final KilnctlRun kilnctl = new KilnctlRun();

    /** A generated config with {@code machine.ca.key} emptied, as Talos writes worker configs. */
    private Path withoutMachineCaKey(String generated) throws Exception {
        assertEquals(0, kilnctl.run("gen", "config", "demo", "https://10.5.0.2:6443", "--output", dir.toString()),
                kilnctl.err());
        String original = Files.readString(dir.resolve(generated));
        // machine.ca comes first in a generated config, so its key is the first four-space "key:".
        String changed = original.replaceFirst("\n  ca:\n    crt: ([^\n]+)\n    key: [^\n]+",
                "\n  ca:\n    crt: $1\n    key: \"\"");
        assertFalse(changed.equals(original), "test setup: machine.ca.key not found");
        return Files.writeString(dir.resolve("no-key-" + generated), changed);
    }

    @Test
    void aWorkerWithoutTheMachineCaKeyIsValid() throws Exception {
        Path file = withoutMachineCaKey("worker.yaml");

        assertEquals(0, new KilnctlRun().run("validate", file.toString()));
    }

    @Test
    void aControlPlaneWithoutTheMachineCaKeyIsAnErrorNamingThePath() throws Exception {
        Path file = withoutMachineCaKey("controlplane.yaml");
        KilnctlRun validate = new KilnctlRun();

        assertEquals(1, validate.run("validate", file.toString()));
        assertTrue(validate.err().contains(": error: machine.ca.key: is required on a control-plane node"),
                validate.err());
    }
}
