package dev.kiln.node.api.proxy;

import com.google.protobuf.Message;
import io.grpc.Status;

/** What one target made of a relayed unary call. */
public sealed interface Outcome {

    RelayTarget target();

    record Answered(RelayTarget target, Message response) implements Outcome {
    }

    record Failed(RelayTarget target, Status status) implements Outcome {
    }
}
