package dev.kiln.node.wire;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where a message decoded with Talos's schema differs from what Talos sends: fields Talos does not have, other than
 * Kiln's extensions (numbered from {@link #FIRST_EXTENSION}, declared in Kiln's own proto), and enum values Talos
 * does not have. Test support.
 */
final class WireDrift {

    static final int FIRST_EXTENSION = 10001;

    /** The payload type URLs Talos's Go client decodes (pkg/machinery/client/events.go); it drops any other event. */
    static final Set<String> TALOS_EVENT_TYPE_URLS = Set.of(
            "talos/runtime/machine.SequenceEvent",
            "talos/runtime/machine.PhaseEvent",
            "talos/runtime/machine.TaskEvent",
            "talos/runtime/machine.ServiceStateEvent",
            "talos/runtime/machine.ConfigLoadErrorEvent",
            "talos/runtime/machine.ConfigValidationErrorEvent",
            "talos/runtime/machine.AddressEvent",
            "talos/runtime/machine.MachineStatusEvent",
            "talos/runtime/machine.RestartEvent");

    private final Map<String, Set<Integer>> extensions;

    private WireDrift(Map<String, Set<Integer>> extensions) {
        this.extensions = extensions;
    }

    /** Kiln's extensions are the fields numbered from 10001 in its own proto files. */
    static WireDrift allowingExtensionsOf(FileDescriptor... kilnFiles) {
        Map<String, Set<Integer>> extensions = new java.util.HashMap<>();
        for (FileDescriptor file : kilnFiles) {
            file.getMessageTypes().forEach(message -> collectExtensions(message, extensions));
        }
        return new WireDrift(Map.copyOf(extensions));
    }

    Map<String, Set<Integer>> extensions() {
        return extensions;
    }

    private static void collectExtensions(Descriptor message, Map<String, Set<Integer>> into) {
        for (FieldDescriptor field : message.getFields()) {
            if (field.getNumber() >= FIRST_EXTENSION) {
                into.computeIfAbsent(message.getFullName(), k -> new TreeSet<>()).add(field.getNumber());
            }
        }
        message.getNestedTypes().forEach(nested -> collectExtensions(nested, into));
    }

    /** Every difference found in the message and the messages inside it, each as "path: what"; empty when none. */
    List<String> of(Message decoded) {
        List<String> found = new ArrayList<>();
        walk(decoded, decoded.getDescriptorForType().getFullName(), found);
        return found;
    }

    private void walk(Message message, String path, List<String> found) {
        Set<Integer> allowed = extensions.getOrDefault(message.getDescriptorForType().getFullName(), Set.of());
        for (int number : message.getUnknownFields().asMap().keySet()) {
            if (number < FIRST_EXTENSION) {
                found.add(path + ": field " + number + " is not in Talos's schema");
            } else if (!allowed.contains(number)) {
                found.add(path + ": field " + number + " is not a Kiln extension of "
                        + message.getDescriptorForType().getFullName());
            }
        }
        for (Map.Entry<FieldDescriptor, Object> entry : message.getAllFields().entrySet()) {
            FieldDescriptor field = entry.getKey();
            List<?> values = field.isRepeated() ? (List<?>) entry.getValue() : List.of(entry.getValue());
            for (int i = 0; i < values.size(); i++) {
                String at = path + "." + field.getName() + (field.isRepeated() ? "[" + i + "]" : "");
                Object value = values.get(i);
                if (value instanceof Message nested) {
                    walk(nested, at, found);
                } else if (value instanceof EnumValueDescriptor enumValue) {
                    unknownEnumValue(enumValue).ifPresent(what -> found.add(at + ": " + what));
                }
            }
        }
    }

    private static Optional<String> unknownEnumValue(EnumValueDescriptor value) {
        return value.getType().findValueByNumber(value.getNumber()) == null
                ? Optional.of("value " + value.getNumber() + " is not in Talos's " + value.getType().getFullName())
                : Optional.empty();
    }
}
