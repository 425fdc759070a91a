package dev.kiln.node.api.proxy;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.kiln.machinery.api.common.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * How relayed replies are tagged and merged, as Talos's API proxy does: every message's {@code metadata.hostname}
 * names the target it came from, and a target that failed is one message holding only
 * {@code metadata{hostname, error, status}}.
 */
public final class Replies {

    private static final String MESSAGES = "messages";
    private static final String METADATA = "metadata";

    private Replies() {
    }

    /** Streams of one node's bytes: a snapshot interleaved with another node's is no snapshot. */
    static final java.util.Set<String> ONE_NODE_STREAMS = java.util.Set.of("EtcdSnapshot");

    /** The shape of a method, judged from its name, its type and its response message's fields. */
    public static RelayPlan.Shape shapeOf(String method, MethodDescriptor.MethodType type, Descriptor response) {
        if (ONE_NODE_STREAMS.contains(method)) {
            return RelayPlan.Shape.NOT_RELAYED;
        }
        if (type == MethodDescriptor.MethodType.UNARY && messagesField(response).isPresent()) {
            return RelayPlan.Shape.MERGED_UNARY;
        }
        if (type == MethodDescriptor.MethodType.SERVER_STREAMING && metadataField(response).isPresent()) {
            return RelayPlan.Shape.TAGGED_STREAM;
        }
        return RelayPlan.Shape.NOT_RELAYED;
    }

    static Optional<FieldDescriptor> messagesField(Descriptor response) {
        FieldDescriptor field = response.findFieldByNumber(1);
        return field != null && field.getName().equals(MESSAGES) && field.isRepeated()
                && field.getJavaType() == FieldDescriptor.JavaType.MESSAGE
                && metadataField(field.getMessageType()).isPresent() ? Optional.of(field) : Optional.empty();
    }

    static Optional<FieldDescriptor> metadataField(Descriptor message) {
        FieldDescriptor field = message.findFieldByNumber(1);
        return field != null && field.getName().equals(METADATA) && !field.isRepeated()
                && field.getJavaType() == FieldDescriptor.JavaType.MESSAGE
                && field.getMessageType().getFullName().equals(Metadata.getDescriptor().getFullName())
                ? Optional.of(field) : Optional.empty();
    }

    /** The message with {@code metadata.hostname} set to the target's name, whatever the target put there. */
    @SuppressWarnings("unchecked")
    public static <M extends Message> M tagged(M message, String hostname) {
        FieldDescriptor field = metadataField(message.getDescriptorForType()).orElseThrow(() -> noMetadata(message));
        Metadata metadata = asMetadata((Message) message.getField(field)).toBuilder().setHostname(hostname).build();
        return (M) message.toBuilder().setField(field, metadata).build();
    }

    /** A message of the prototype's type that holds only the failure of the target named. */
    @SuppressWarnings("unchecked")
    public static <M extends Message> M failure(M prototype, String hostname, Status status) {
        FieldDescriptor field = metadataField(prototype.getDescriptorForType())
                .orElseThrow(() -> noMetadata(prototype));
        return (M) prototype.newBuilderForType().setField(field, failureMetadata(hostname, status)).build();
    }

    /** One response holding every target's messages in the targets' order, each tagged, failures included. */
    @SuppressWarnings("unchecked")
    public static <R extends Message> R merged(R prototype, List<Outcome> outcomes) {
        FieldDescriptor messages = messagesField(prototype.getDescriptorForType()).orElseThrow(() ->
                new IllegalArgumentException(prototype.getDescriptorForType().getFullName()
                        + " has no repeated messages field carrying common.Metadata"));
        Message.Builder merged = prototype.newBuilderForType();
        Message emptyElement = merged.newBuilderForField(messages).build();
        for (Outcome outcome : outcomes) {
            String name = outcome.target().name();
            if (outcome instanceof Outcome.Answered answered) {
                for (Object element : (List<?>) answered.response().getField(messages)) {
                    merged.addRepeatedField(messages, tagged((Message) element, name));
                }
            } else if (outcome instanceof Outcome.Failed failed) {
                merged.addRepeatedField(messages, failure(emptyElement, name, failed.status()));
            }
        }
        return (R) merged.build();
    }

    static Metadata failureMetadata(String hostname, Status status) {
        String description = status.getDescription() == null ? "" : status.getDescription();
        return Metadata.newBuilder()
                .setHostname(hostname)
                .setError("rpc error: code = " + goName(status.getCode()) + " desc = " + description)
                .setStatus(com.google.rpc.Status.newBuilder().setCode(status.getCode().value()).setMessage(description))
                .build();
    }

    /** The code's name as Go's gRPC prints it, so the error reads as a Talos client expects. */
    static String goName(Status.Code code) {
        if (code == Status.Code.OK) {
            return "OK";
        }
        if (code == Status.Code.CANCELLED) {
            return "Canceled";
        }
        StringBuilder name = new StringBuilder();
        for (String word : code.name().split("_")) {
            name.append(word.charAt(0)).append(word.substring(1).toLowerCase(Locale.ROOT));
        }
        return name.toString();
    }

    private static Metadata asMetadata(Message message) {
        return message instanceof Metadata metadata ? metadata : Metadata.newBuilder().mergeFrom(message).build();
    }

    private static IllegalArgumentException noMetadata(Message message) {
        return new IllegalArgumentException(message.getDescriptorForType().getFullName()
                + " has no common.Metadata metadata = 1 field");
    }
}
