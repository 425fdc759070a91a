package dev.kiln.node.supervisor;

/** How a service's work ended on its own. */
public sealed interface Exit {

    boolean success();

    String describe();

    /**
     * A process exited; {@code 128 + n} means it was killed by signal {@code n}.
     *
     * @param reason the process's own last word on why, from its fatal log line; empty when it gave none
     */
    record Code(int value, String reason) implements Exit {
        public Code {
            reason = reason == null ? "" : reason;
        }

        public Code(int value) {
            this(value, "");
        }

        @Override
        public boolean success() {
            return value == 0;
        }

        @Override
        public String describe() {
            String how = value > 128 && value < 160 ? "killed by signal " + (value - 128) : "exited with code " + value;
            return reason.isEmpty() ? how : how + ": " + reason;
        }
    }

    /** In-process work ended with an error. */
    record Error(String message) implements Exit {
        @Override
        public boolean success() {
            return false;
        }

        @Override
        public String describe() {
            return "failed: " + message;
        }
    }
}
