package dev.kiln.machinery.config;

import java.util.List;
import java.util.stream.Collectors;

/** A patch could not be read or applied, or the patched config is invalid. */
public final class ConfigPatchException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient List<ConfigProblem> problems;

    public ConfigPatchException(List<ConfigProblem> problems) {
        super(problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("; ")));
        this.problems = List.copyOf(problems);
    }

    public ConfigPatchException(ConfigProblem problem) {
        this(List.of(problem));
    }

    public List<ConfigProblem> problems() {
        return problems;
    }
}
