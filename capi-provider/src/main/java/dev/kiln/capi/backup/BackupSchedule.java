package dev.kiln.capi.backup;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When backups are due: a five-field cron expression in UTC as a Kubernetes CronJob reads it (with {@code @hourly},
 * {@code @daily}, {@code @weekly}, {@code @monthly}, {@code @yearly}), or {@code @every <duration>} such as
 * {@code @every 6h} or {@code @every 30s}, for intervals a cron expression cannot say.
 */
public sealed interface BackupSchedule {

    Duration SHORTEST_INTERVAL = Duration.ofSeconds(5);

    /** The first time strictly after {@code after} that a backup is due. */
    Instant nextAfter(Instant after);

    record Cron(String expression, ExecutionTime executionTime) implements BackupSchedule {
        @Override
        public Instant nextAfter(Instant after) {
            return executionTime.nextExecution(ZonedDateTime.ofInstant(after, ZoneOffset.UTC))
                    .orElseThrow(() -> new IllegalStateException("cron '" + expression + "' has no next run"))
                    .toInstant();
        }
    }

    record Every(Duration interval) implements BackupSchedule {
        @Override
        public Instant nextAfter(Instant after) {
            return after.plus(interval);
        }
    }

    Map<String, String> NICKNAMES = Map.of(
            "@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *", "@monthly", "0 0 1 * *",
            "@weekly", "0 0 * * 0", "@daily", "0 0 * * *", "@midnight", "0 0 * * *", "@hourly", "0 * * * *");

    Pattern EVERY = Pattern.compile("@every\\s+((?:\\d+(?:h|m|s))+)");
    Pattern DURATION_PART = Pattern.compile("(\\d+)(h|m|s)");

    /**
     * @param field the spec path named in errors, e.g. {@code spec.schedule}
     * @throws IllegalArgumentException naming the field and what is wrong
     */
    static BackupSchedule parse(String field, String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(field + ": required, e.g. \"0 */6 * * *\" or \"@every 6h\"");
        }
        String trimmed = text.strip();
        Matcher every = EVERY.matcher(trimmed);
        if (every.matches()) {
            Duration interval = duration(every.group(1));
            if (interval.compareTo(SHORTEST_INTERVAL) < 0) {
                throw new IllegalArgumentException(field + ": '" + trimmed + "' is shorter than "
                        + SHORTEST_INTERVAL.toSeconds() + "s");
            }
            return new Every(interval);
        }
        if (trimmed.startsWith("@every")) {
            throw new IllegalArgumentException(field + ": '" + trimmed
                    + "' is not '@every <duration>' with a duration such as 30s, 15m or 1h30m");
        }
        String expression = NICKNAMES.getOrDefault(trimmed.toLowerCase(Locale.ROOT), trimmed);
        if (expression.startsWith("@")) {
            throw new IllegalArgumentException(field + ": unknown '" + trimmed + "'; use one of "
                    + NICKNAMES.keySet().stream().sorted().toList() + ", '@every <duration>' or five cron fields");
        }
        try {
            CronParser parser = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
            return new Cron(trimmed, ExecutionTime.forCron(parser.parse(expression).validate()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + ": '" + trimmed + "' is not a five-field cron expression ("
                    + e.getMessage() + ")", e);
        }
    }

    private static Duration duration(String text) {
        Duration total = Duration.ZERO;
        Matcher part = DURATION_PART.matcher(text);
        while (part.find()) {
            long amount = Long.parseLong(part.group(1));
            total = total.plus(switch (part.group(2)) {
                case "h" -> Duration.ofHours(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofSeconds(amount);
            });
        }
        return total;
    }
}
