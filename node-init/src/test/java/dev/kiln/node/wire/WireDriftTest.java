package dev.kiln.node.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.UnknownFieldSet;
import dev.kiln.machinery.api.machine.Machine;
import dev.kiln.node.wire.talos.machine.ServiceStateEvent;
import dev.kiln.node.wire.talos.machine.Version;
import dev.kiln.node.wire.talos.machine.VersionInfo;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The drift finder itself, on messages built by hand. */
class WireDriftTest {

    private final WireDrift drift = WireDrift.allowingExtensionsOf(Machine.getDescriptor());

    @Test
    void kilnsExtensionsAreReadFromItsOwnProto() {
        assertEquals(Set.of(10001, 10002, 10003, 10004, 10005), drift.extensions().get("machine.VersionInfo"));
        assertEquals(Set.of(10001), drift.extensions().get("machine.EtcdMemberStatus"));
    }

    @Test
    void aDeclaredExtensionIsNoDrift() {
        Version version = Version.newBuilder().setVersion(VersionInfo.newBuilder().setTag("v1")
                .setUnknownFields(unknown(10001))).build();

        assertEquals(List.of(), drift.of(version));
    }

    @Test
    void aFieldBelowTheExtensionRangeIsDrift() {
        Version version = Version.newBuilder().setVersion(VersionInfo.newBuilder().setUnknownFields(unknown(7)))
                .build();

        assertEquals(List.of("machine.Version.version: field 7 is not in Talos's schema"), drift.of(version));
    }

    @Test
    void anExtensionNumberKilnDoesNotDeclareOnThatMessageIsDrift() {
        Version version = Version.newBuilder().setUnknownFields(unknown(10001)).build();

        assertEquals(List.of("machine.Version: field 10001 is not a Kiln extension of machine.Version"),
                drift.of(version));
    }

    @Test
    void anEnumValueTalosDoesNotHaveIsDrift() {
        ServiceStateEvent event = ServiceStateEvent.newBuilder().setActionValue(9).build();

        assertEquals(List.of("machine.ServiceStateEvent.action: value 9 is not in Talos's "
                + "machine.ServiceStateEvent.Action"), drift.of(event));
    }

    private static UnknownFieldSet unknown(int number) {
        return UnknownFieldSet.newBuilder().addField(number,
                UnknownFieldSet.Field.newBuilder().addVarint(1).build()).build();
    }

}
