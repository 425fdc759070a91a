package dev.kiln.node.testing;

import dev.kiln.kilnctl.Kilnctl;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;

/** One kilnctl command run in this JVM, with what it printed. Test support only. */
public record KilnctlRun(int exit, String out, String err) {

    /** Runs kilnctl with {@code args}, followed by {@code --kilnconfig} when one is given. */
    public static KilnctlRun of(Optional<Path> kilnconfig, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Kilnctl.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of(args));
        kilnconfig.ifPresent(file -> {
            all.add("--kilnconfig");
            all.add(file.toString());
        });
        int exit = cli.execute(all.toArray(String[]::new));
        return new KilnctlRun(exit, out.toString(), err.toString());
    }
}
