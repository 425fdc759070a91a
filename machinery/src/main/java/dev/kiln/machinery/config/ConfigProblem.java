package dev.kiln.machinery.config;

import java.util.Objects;

/**
 * One thing wrong with a config or a patch. {@code path} is a dotted key path such as
 * {@code cluster.etcd.peers[1]}, or {@code (yaml)} / {@code (root)} for problems with the document itself.
 */
public record ConfigProblem(String path, String message) {

    public ConfigProblem {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return path + ": " + message;
    }
}
