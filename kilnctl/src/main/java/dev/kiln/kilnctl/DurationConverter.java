package dev.kiln.kilnctl;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a duration the way talosctl's flags take one ({@code 30s}, {@code 2m}, {@code 1h30m}, {@code 1.5h},
 * {@code 250ms}); a bare number is seconds, as Kiln's earlier flags took it, and ISO-8601 ({@code PT30S}) still works.
 * picocli puts the flag's name in front of the message of a refused value.
 */
public final class DurationConverter implements ITypeConverter<Duration> {

    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?|\\.\\d+)(ns|us|µs|ms|s|m|h)");
    private static final Pattern SECONDS = Pattern.compile("\\d+");

    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    public static Duration parse(String value) {
        try {
            return parseOrFail(value);
        } catch (ArithmeticException | NumberFormatException tooLong) {
            throw refused(value);
        }
    }

    private static Duration parseOrFail(String value) {
        String text = value == null ? "" : value.trim();
        if (SECONDS.matcher(text).matches()) {
            return Duration.ofSeconds(Long.parseLong(text));
        }
        if (text.startsWith("P") || text.startsWith("p")) {
            try {
                return nonNegative(value, Duration.parse(text));
            } catch (DateTimeParseException e) {
                throw refused(value);
            }
        }
        Matcher part = PART.matcher(text);
        Duration total = Duration.ZERO;
        int at = 0;
        while (at < text.length()) {
            if (!part.find(at) || part.start() != at) {
                throw refused(value);
            }
            total = total.plus(amount(new BigDecimal(part.group(1)), part.group(2)));
            at = part.end();
        }
        if (text.isEmpty()) {
            throw refused(value);
        }
        return total;
    }

    /** The duration as these flags take it: {@code 1h30m}, {@code 2m}, {@code 3s}, {@code 250ms}. */
    public static String format(Duration duration) {
        if (duration.isZero()) {
            return "0s";
        }
        StringBuilder text = new StringBuilder();
        if (duration.toHours() > 0) {
            text.append(duration.toHours()).append('h');
        }
        if (duration.toMinutesPart() > 0) {
            text.append(duration.toMinutesPart()).append('m');
        }
        if (duration.toSecondsPart() > 0) {
            text.append(duration.toSecondsPart()).append('s');
        }
        if (duration.toMillisPart() > 0) {
            text.append(duration.toMillisPart()).append("ms");
        }
        return text.isEmpty() ? duration.toNanos() + "ns" : text.toString();
    }

    private static Duration amount(BigDecimal number, String unit) {
        BigDecimal nanosPerUnit = BigDecimal.valueOf(switch (unit) {
            case "ns" -> 1L;
            case "us", "µs" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            default -> 3_600_000_000_000L;
        });
        return Duration.ofNanos(number.multiply(nanosPerUnit).longValueExact());
    }

    private static Duration nonNegative(String value, Duration duration) {
        if (duration.isNegative()) {
            throw refused(value);
        }
        return duration;
    }

    private static TypeConversionException refused(String value) {
        return new TypeConversionException("'" + value + "' is not a duration (use e.g. 30s, 2m, 1h30m, or a number "
                + "of seconds)");
    }
}
