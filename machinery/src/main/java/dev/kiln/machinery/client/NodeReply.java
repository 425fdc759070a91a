package dev.kiln.machinery.client;

import io.grpc.Status;
import java.util.function.Function;

/** One node's part of a call an endpoint relayed to several nodes: its answer, or its failure. */
public sealed interface NodeReply<T> {

    /** The node as the endpoint tagged the reply ({@code metadata.hostname}). */
    String node();

    /** The same reply with the answer converted; a failure stays the failure. */
    default <U> NodeReply<U> map(Function<T, U> convert) {
        if (this instanceof Answered<T> answered) {
            return new Answered<>(answered.node(), convert.apply(answered.value()));
        }
        return new Failed<>(node(), ((Failed<T>) this).status());
    }

    record Answered<T>(String node, T value) implements NodeReply<T> {
    }

    record Failed<T>(String node, Status status) implements NodeReply<T> {

        /** One line naming the node, its status and the endpoint that relayed the call. */
        public String describe(NodeAddress endpoint) {
            return "node " + node + ": " + status.getCode()
                    + (status.getDescription() == null ? "" : ": " + status.getDescription())
                    + " (through " + endpoint + ")";
        }
    }
}
