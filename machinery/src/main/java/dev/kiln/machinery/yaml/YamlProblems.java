package dev.kiln.machinery.yaml;

import java.util.ArrayList;
import java.util.List;

/** Collects every problem found in a document, each as "path: message", so users can fix them all at once. */
public final class YamlProblems {

    private final List<String> problems = new ArrayList<>();

    public void add(String path, String message) {
        problems.add(path + ": " + message);
    }

    public boolean isEmpty() {
        return problems.isEmpty();
    }

    public List<String> list() {
        return List.copyOf(problems);
    }
}
