package dev.kiln.node.boot;

/**
 * How node-init ends. A process cannot power-cycle itself, so "reboot" is an exit code that the launcher answers by
 * starting node-init again on the same root, from the active boot slot.
 */
public enum ExitCode {
    HALT(0),
    FAILURE(1),
    REBOOT(10);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
