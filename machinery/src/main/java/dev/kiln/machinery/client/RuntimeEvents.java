package dev.kiln.machinery.client;

import com.google.protobuf.Any;
import com.google.protobuf.Message;

/**
 * Event payloads as Talos publishes them: the {@code Any} type URL is {@code talos/runtime/} followed by the
 * message's full name (e.g. {@code talos/runtime/machine.ServiceStateEvent}); Talos's client drops any other.
 * {@link Any#is} and {@link Any#unpack} read only the part after the last slash, so they decode these as usual.
 */
public final class RuntimeEvents {

    public static final String TYPE_URL_PREFIX = "talos/runtime";

    private RuntimeEvents() {
    }

    public static Any pack(Message payload) {
        return Any.pack(payload, TYPE_URL_PREFIX);
    }

    public static String typeUrl(Message payload) {
        return TYPE_URL_PREFIX + "/" + payload.getDescriptorForType().getFullName();
    }
}
