package dev.kiln.kilnctl;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** kilnctl run in-process, as its main would run it, with what it printed kept for the test to read. */
final class KilnctlRun {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    /** @return kilnctl's exit code */
    int run(String... args) {
        CommandLine cli = Kilnctl.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    String out() {
        return out.toString();
    }

    String err() {
        return err.toString();
    }
}
