package dev.kiln.node.pid1;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.node.bootloader.BootDecision;
import dev.kiln.node.disk.Meta;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ExecCommandTest {

    private static final List<String> SLOT_COMMAND = List.of("/var/kiln/BOOT-B/runtime/bin/java", "-Xmx128m",
            "-XX:SharedArchiveFile=/var/kiln/BOOT-B/node-init.jsa", "-jar", "/var/kiln/BOOT-B/node-init.jar",
            "--root", "/var/kiln", "--listen", "10.0.2.15:50000");

    private static dev.kiln.node.bootloader.Bootloader.Launch launch(Optional<Long> trialDeadline) {
        return new dev.kiln.node.bootloader.Bootloader.Launch(
                new BootDecision.Boot(Optional.empty(), Meta.fresh(), trialDeadline), SLOT_COMMAND,
                Optional.of(java.nio.file.Path.of("/var/kiln/BOOT-B")));
    }

    @Test
    void withoutATrialTheSlotsCommandIsExecutedAsItIs() {
        ExecCommand exec = ExecCommand.of(launch(Optional.empty()), Map.of());

        assertEquals(SLOT_COMMAND, exec.argv());
        assertEquals("/var/kiln/BOOT-B/runtime/bin/java", exec.path());
    }

    @Test
    void aTrialsDeadlineIsPassedAsAPropertyRightAfterTheLauncher() {
        ExecCommand exec = ExecCommand.of(launch(Optional.of(1_700_000_000_000L)), Map.of());

        assertEquals(List.of("/var/kiln/BOOT-B/runtime/bin/java", "-Dkiln.trial.deadline-millis=1700000000000"),
                exec.argv().subList(0, 2));
        assertEquals(SLOT_COMMAND.subList(1, SLOT_COMMAND.size()), exec.argv().subList(2, exec.argv().size()));
    }

    @Test
    void initsEnvironmentIsPassedOnWithoutTheLoaderPath() {
        ExecCommand exec = ExecCommand.of(launch(Optional.empty()),
                Map.of("LD_LIBRARY_PATH", "/kiln/runtime/lib", "HOME", "/", "TERM", "linux"));

        assertEquals(List.of("HOME=/", "TERM=linux"), exec.environment());
    }

    @Test
    void nodeInitRunsInTheDirectoryTheBootloaderNames() {
        ExecCommand exec = ExecCommand.of(launch(Optional.empty()), Map.of());

        assertEquals(Optional.of(java.nio.file.Path.of("/var/kiln/BOOT-B")), exec.directory());
    }
}
