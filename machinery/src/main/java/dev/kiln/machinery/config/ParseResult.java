package dev.kiln.machinery.config;

import java.util.List;

/**
 * The outcome of {@link ConfigParser#parse(String)}: a valid config, or every error found. Either way
 * {@code warnings} lists what is valid Talos but not acted on by Kiln.
 */
public sealed interface ParseResult {

    List<ConfigProblem> warnings();

    /** A config with no errors. */
    record Parsed(MachineConfig config, List<ConfigProblem> warnings) implements ParseResult {
        public Parsed {
            warnings = List.copyOf(warnings);
        }

        public Parsed(MachineConfig config) {
            this(config, List.of());
        }
    }

    /** A config that failed; {@code problems} (the errors) is never empty. */
    record Invalid(List<ConfigProblem> problems, List<ConfigProblem> warnings) implements ParseResult {
        public Invalid {
            problems = List.copyOf(problems);
            warnings = List.copyOf(warnings);
            if (problems.isEmpty()) {
                throw new IllegalArgumentException("an invalid result needs at least one problem");
            }
        }

        public Invalid(List<ConfigProblem> problems) {
            this(problems, List.of());
        }
    }
}
