package dev.kiln.node.supervisor;

/** Whether the supervisor starts a service again after its work ended on its own. */
public enum RestartPolicy {
    /** Long-running daemons: any exit is unexpected. */
    ALWAYS,
    /** Jobs: retried until they succeed once. */
    UNTIL_SUCCESS,
    /** Run once, whatever the outcome. */
    NEVER;

    public boolean restartsAfter(Exit exit) {
        switch (this) {
            case ALWAYS:
                return true;
            case UNTIL_SUCCESS:
                return !exit.success();
            default:
                return false;
        }
    }
}
