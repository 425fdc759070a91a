package dev.kiln.machinery.client;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/** A failed machine API call, naming the node and the gRPC status in one line. */
public final class MachineApiException extends RuntimeException {

    private final NodeAddress node;
    private final Status status;

    MachineApiException(NodeAddress node, StatusRuntimeException cause) {
        super("node " + node + ": " + cause.getStatus().getCode()
                + (cause.getStatus().getDescription() == null ? "" : ": " + cause.getStatus().getDescription()),
                cause);
        this.node = node;
        this.status = cause.getStatus();
    }

    public NodeAddress node() {
        return node;
    }

    public Status.Code code() {
        return status.getCode();
    }

    public Status status() {
        return status;
    }
}
