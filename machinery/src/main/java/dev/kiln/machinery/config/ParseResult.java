package dev.kiln.machinery.config;

import java.util.List;

/** The outcome of {@link ConfigParser#parse(String)}: a valid config, or every problem found. */
public sealed interface ParseResult {

    /** A config that passed every check. */
    record Parsed(MachineConfig config) implements ParseResult {
    }

    /** A config that failed; {@code problems} is never empty. */
    record Invalid(List<ConfigProblem> problems) implements ParseResult {
        public Invalid {
            problems = List.copyOf(problems);
            if (problems.isEmpty()) {
                throw new IllegalArgumentException("an invalid result needs at least one problem");
            }
        }
    }
}
