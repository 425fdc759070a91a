package dev.kiln.node.bootloader;

import dev.kiln.node.disk.BootSlot;
import dev.kiln.node.disk.DiskLayout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Boots a slot the way the bootloader does, with more JVM options, and collects what the JVM printed. */
public final class SlotBoot {

    private SlotBoot() {
    }

    /**
     * Lets the bootloader boot {@code slot} once (it makes the class archive first), then boots it again with sharing
     * required ({@code -Xshare:on}: the JVM refuses to start when the archive does not match) and returns the output.
     */
    public static List<String> bootWithSharingRequired(DiskLayout disk, BootSlot slot, String... options)
            throws IOException, InterruptedException {
        Bootloader loader = Bootloader.parse(new String[] {"--distribution", "/nonexistent/node-init.jar", "--",
                "--root", disk.root().toString()});
        int first = loader.run();
        if (first != 0) {
            throw new AssertionError("the bootloader's boot of slot " + slot + " exited with " + first);
        }
        List<String> command = new ArrayList<>(loader.command(Optional.of(slot)));
        command.add(1, "-Xshare:on");
        command.addAll(1, List.of(options));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        loader.directory(Optional.of(slot)).ifPresent(dir -> builder.directory(dir.toFile()));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        return List.of(("exit " + process.exitValue() + "\n" + output).split("\n"));
    }
}
