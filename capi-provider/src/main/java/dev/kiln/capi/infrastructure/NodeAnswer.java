package dev.kiln.capi.infrastructure;

import dev.kiln.capi.node.NodeApi;
import dev.kiln.capi.node.NodeApiException;

/** What a node said when asked for its version over one kind of access. */
sealed interface NodeAnswer {

    String UNREACHABLE = "NodeUnreachable";

    /** Answers, waiting for a config. */
    record Maintenance() implements NodeAnswer {
    }

    /** Answers configured: only possible over mutual TLS with the cluster's CA. */
    record Configured() implements NodeAnswer {
    }

    /** Not asked over this access, since the other access already settled what the node is. */
    record NotAsked(String why) implements NodeAnswer {
    }

    /** Did not answer; {@code reason} is a condition reason, {@code message} names the node. */
    record Failed(String reason, String message) implements NodeAnswer {
    }

    static NodeAnswer of(NodeApi.NodeVersion version) {
        return version.maintenance() ? new Maintenance() : new Configured();
    }

    static Failed failed(NodeApiException e) {
        return new Failed(reasonFor(e.kind()), "node " + e.node() + ": " + e.getMessage());
    }

    static String reasonFor(NodeApiException.Kind kind) {
        switch (kind) {
            case UNAVAILABLE:
                return UNREACHABLE;
            case PERMISSION_DENIED:
                return "NodePermissionDenied";
            case REFUSED:
                return "NodeRefused";
            case NOT_FOUND:
                return "NodeNotFound";
            case ALREADY_EXISTS:
                return "NodeAlreadyExists";
            default:
                return "NodeError";
        }
    }

    default String describe() {
        if (this instanceof Maintenance) {
            return "answers in maintenance mode";
        }
        if (this instanceof Configured) {
            return "answers configured";
        }
        if (this instanceof NotAsked notAsked) {
            return "not asked: " + notAsked.why();
        }
        return ((Failed) this).message();
    }
}
