package dev.kiln.node.supervisor;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds why a process gave up in one line of its output: a zap JSON line at level fatal or panic (its msg and error
 * fields), a capnslog critical line, or a Go panic.
 */
public final class FatalLine {

    private static final Pattern ZAP_LEVEL = Pattern.compile("\"level\"\\s*:\\s*\"(fatal|panic|dpanic)\"");
    private static final Pattern CAPNSLOG_CRITICAL = Pattern.compile("^\\S+ \\S+ C \\| (?:[\\w./-]+: )?(.*)$");
    private static final String GO_PANIC = "panic: ";

    private FatalLine() {
    }

    public static Optional<String> reasonIn(String line) {
        if (ZAP_LEVEL.matcher(line).find()) {
            String msg = field(line, "msg").orElse("");
            Optional<String> error = field(line, "error");
            return Optional.of(error.map(e -> msg.isEmpty() ? e : msg + ": " + e).orElse(msg));
        }
        Matcher critical = CAPNSLOG_CRITICAL.matcher(line);
        if (critical.matches()) {
            return Optional.of(critical.group(1).strip());
        }
        if (line.startsWith(GO_PANIC)) {
            return Optional.of(line.substring(GO_PANIC.length()).strip());
        }
        return Optional.empty();
    }

    private static Optional<String> field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(json);
        return m.find() ? Optional.of(m.group(1).replace("\\\"", "\"").replace("\\\\", "\\")) : Optional.empty();
    }
}
