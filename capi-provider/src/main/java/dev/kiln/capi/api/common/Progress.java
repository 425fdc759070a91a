package dev.kiln.capi.api.common;

/**
 * Where one object stands after a reconcile pass, in the terms of kstatus: done, still working, or stuck until a
 * person changes something. {@link KstatusConditions} turns it into the Ready, Reconciling and Stalled conditions.
 */
public sealed interface Progress {

    String reason();

    String message();

    /** Everything the spec asks for is there and working. */
    record Done(String reason, String message) implements Progress {
    }

    /** Kiln is acting or waiting for something that will come by itself. */
    record Working(String reason, String message) implements Progress {
    }

    /** Nothing more happens until a person changes the spec or the object named in the message. */
    record Stuck(String reason, String message) implements Progress {
    }
}
