package dev.kiln.node.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.node.NodeRefusal;
import io.grpc.Status;
import org.junit.jupiter.api.Test;

class ErrorDescriptionTest {

    @Test
    void aShortDescriptionIsKeptWhole() {
        assertEquals("no service etcd2", MachineServiceImpl.bounded(Status.NOT_FOUND, "no service etcd2").getDescription());
    }

    @Test
    void aLongDescriptionIsCutAndSaysHowLongItWas() {
        String description = MachineServiceImpl.bounded(Status.INTERNAL, "x".repeat(100_000)).getDescription();

        assertTrue(description.length() < MachineServiceImpl.MAX_DESCRIPTION_CHARS + 40, description);
        assertTrue(description.endsWith("(100000 characters)"), description);
    }

    @Test
    void aRefusalEchoingCallerInputIsCutToo() {
        NodeRefusal refusal = new NodeRefusal(NodeRefusal.Reason.INVALID_REQUEST, "bad value " + "y".repeat(50_000));

        Status status = MachineServiceImpl.statusOf(refusal);

        assertEquals(Status.Code.INVALID_ARGUMENT, status.getCode());
        assertTrue(status.getDescription().length() < MachineServiceImpl.MAX_DESCRIPTION_CHARS + 40);
    }
}
