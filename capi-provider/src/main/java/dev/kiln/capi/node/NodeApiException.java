package dev.kiln.capi.node;

/** A machine API call that failed, with the gRPC code name so callers can tell refusals from outages. */
public final class NodeApiException extends RuntimeException {

    public enum Kind { UNAVAILABLE, ALREADY_EXISTS, NOT_FOUND, PERMISSION_DENIED, REFUSED, OTHER }

    private final String node;
    private final Kind kind;

    public NodeApiException(String node, Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.node = node;
        this.kind = kind;
    }

    public String node() {
        return node;
    }

    public Kind kind() {
        return kind;
    }
}
