package dev.kiln.node.pid1;

import dev.kiln.node.bootloader.Bootloader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What Init hands to execve(2) to become node-init: the bootloader's command line for the chosen slot plus the trial
 * deadline the bootloader would have watched, and init's environment without the loader path the kernel's launcher
 * needed (with /proc mounted, each runtime finds its own libraries), run in the directory the bootloader names.
 */
record ExecCommand(List<String> argv, List<String> environment, Optional<Path> directory) {

    static final String DROPPED_VARIABLE = "LD_LIBRARY_PATH";

    ExecCommand {
        argv = List.copyOf(argv);
        environment = List.copyOf(environment);
    }

    static ExecCommand of(Bootloader.Launch launch, Map<String, String> initEnvironment) {
        List<String> argv = new ArrayList<>(launch.command());
        launch.trialDeadlineMillis().ifPresent(deadline ->
                argv.add(1, "-D" + AsPid1.TRIAL_DEADLINE_PROPERTY + "=" + deadline));
        List<String> environment = new ArrayList<>();
        new TreeMap<>(initEnvironment).forEach((name, value) -> {
            if (!name.equals(DROPPED_VARIABLE)) {
                environment.add(name + "=" + value);
            }
        });
        return new ExecCommand(argv, environment, launch.directory());
    }

    String path() {
        return argv.get(0);
    }
}
