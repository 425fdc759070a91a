package dev.kiln.kilnctl.node;

/** What one node answered to one read during a health check: a value, or why there is none. */
sealed interface Answer<T> permits Answer.Got, Answer.Failed {

    String node();

    record Got<T>(String node, T value) implements Answer<T> {
    }

    record Failed<T>(String node, String error) implements Answer<T> {
    }
}
