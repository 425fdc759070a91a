package dev.kiln.node.wire;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import java.util.ArrayList;
import java.util.List;

/**
 * How Kiln's proto differs from Talos's for the messages both declare: a field below the extension range or an
 * enum value whose number, name or type is not Talos's, or one Talos has and Kiln lacks. Test support.
 */
final class SchemaDifferences {

    private SchemaDifferences() {
    }

    static List<String> between(FileDescriptor kiln, FileDescriptor talos) {
        List<String> found = new ArrayList<>();
        for (Descriptor expected : talos.getMessageTypes()) {
            Descriptor actual = kiln.findMessageTypeByName(expected.getName());
            if (actual == null) {
                found.add(expected.getFullName() + ": missing in Kiln");
            } else {
                compare(actual, expected, found);
            }
        }
        return found;
    }

    private static void compare(Descriptor kiln, Descriptor talos, List<String> found) {
        String at = talos.getFullName();
        for (FieldDescriptor expected : talos.getFields()) {
            FieldDescriptor actual = kiln.findFieldByNumber(expected.getNumber());
            if (actual == null) {
                found.add(at + ": field " + expected.getNumber() + " (" + expected.getName() + ") missing in Kiln");
            } else if (!shape(actual).equals(shape(expected))) {
                found.add(at + ": field " + expected.getNumber() + " is " + shape(actual) + " in Kiln, "
                        + shape(expected) + " in Talos");
            }
        }
        for (FieldDescriptor actual : kiln.getFields()) {
            if (actual.getNumber() < WireDrift.FIRST_EXTENSION && talos.findFieldByNumber(actual.getNumber()) == null) {
                found.add(at + ": field " + actual.getNumber() + " (" + actual.getName() + ") is not Talos's and "
                        + "below " + WireDrift.FIRST_EXTENSION);
            }
        }
        for (EnumDescriptor expected : talos.getEnumTypes()) {
            EnumDescriptor actual = kiln.findEnumTypeByName(expected.getName());
            if (actual == null) {
                found.add(expected.getFullName() + ": missing in Kiln");
            } else {
                compare(actual, expected, found);
            }
        }
        for (Descriptor expected : talos.getNestedTypes()) {
            Descriptor actual = kiln.findNestedTypeByName(expected.getName());
            if (actual == null) {
                found.add(expected.getFullName() + ": missing in Kiln");
            } else {
                compare(actual, expected, found);
            }
        }
    }

    private static void compare(EnumDescriptor kiln, EnumDescriptor talos, List<String> found) {
        List<String> expected = talos.getValues().stream().map(SchemaDifferences::value).toList();
        List<String> actual = kiln.getValues().stream().map(SchemaDifferences::value).toList();
        if (!actual.equals(expected)) {
            found.add(talos.getFullName() + ": values " + actual + " in Kiln, " + expected + " in Talos");
        }
    }

    private static String value(EnumValueDescriptor value) {
        return value.getName() + "=" + value.getNumber();
    }

    private static String shape(FieldDescriptor field) {
        String type = switch (field.getJavaType()) {
            case MESSAGE -> field.getMessageType().getFullName();
            case ENUM -> field.getEnumType().getFullName();
            default -> field.getType().name().toLowerCase();
        };
        return (field.isRepeated() ? "repeated " : "") + type + " " + field.getName();
    }
}
