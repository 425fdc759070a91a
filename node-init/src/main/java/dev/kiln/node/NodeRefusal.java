package dev.kiln.node;

/** A request the node turns down, with a reason the API layer maps onto a gRPC status. */
public final class NodeRefusal extends Exception {

    public enum Reason {
        UNSUPPORTED_ON_THIS_NODE,
        INVALID_REQUEST,
        NOT_READY,
        ALREADY_EXISTS,
        NOT_FOUND,
        PRECONDITION_FAILED,
        BUSY,
        FAILED
    }

    private final Reason reason;

    public NodeRefusal(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public NodeRefusal(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
