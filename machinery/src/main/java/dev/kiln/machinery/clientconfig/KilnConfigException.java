package dev.kiln.machinery.clientconfig;

import java.util.List;

/** A kilnconfig that cannot be used, with every problem named by its path. */
public final class KilnConfigException extends RuntimeException {

    private final List<String> problems;

    public KilnConfigException(List<String> problems) {
        this("invalid kilnconfig", problems);
    }

    /** @param source what was being read, e.g. "invalid kilnconfig /home/me/.kiln/config" */
    public KilnConfigException(String source, List<String> problems) {
        super(source + ":\n  " + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    /** Each entry reads "path: message", e.g. "contexts.admin@demo.crt: is required". */
    public List<String> problems() {
        return problems;
    }
}
