package dev.kiln.kilnctl.output;

import picocli.CommandLine.Option;

/** The {@code -o/--output} flag of every read command. */
public final class OutputOptions {

    @Option(names = {"-o", "--output"}, converter = OutputFormat.Converter.class, paramLabel = "table|json|yaml",
            description = "output format (default: table)")
    OutputFormat format = OutputFormat.TABLE;

    public OutputFormat format() {
        return format;
    }
}
