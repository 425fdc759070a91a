package dev.kiln.testenv.sim;

import io.grpc.Status;

/** A call the simulated machine refuses, with the gRPC status node-init answers with for the same reason. */
final class Refusal extends Exception {

    private final Status.Code code;

    Refusal(Status.Code code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    Status status() {
        return Status.fromCode(code).withDescription(getMessage());
    }
}
