package dev.kiln.kilnctl.output;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** How a read command prints: a table for people, or each node's machine API message as JSON or YAML. */
public enum OutputFormat {
    TABLE, JSON, YAML;

    /** Lower-case names, as talosctl's {@code -o} takes them. */
    public static final class Converter implements ITypeConverter<OutputFormat> {
        @Override
        public OutputFormat convert(String value) {
            try {
                return OutputFormat.valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("'" + value + "' is not one of " + Arrays.stream(values())
                        .map(f -> f.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
            }
        }
    }
}
