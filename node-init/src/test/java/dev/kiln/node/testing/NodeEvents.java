package dev.kiln.node.testing;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.kiln.machinery.api.machine.Event;
import dev.kiln.machinery.api.machine.MachineStatusEvent;
import dev.kiln.machinery.client.MachineClient;
import dev.kiln.machinery.client.ServerStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Reads a node's event log over the API; the log lives in node-init's memory, so it also shows which boot answers. */
public final class NodeEvents {

    private NodeEvents() {
    }

    /** Waits until the node's log holds a machine stage event whose message contains {@code text}. */
    public static void awaitStageMessage(MachineClient client, String text, Duration within) throws Exception {
        try (ServerStream<Event> stream = client.events(-1)) {
            CompletableFuture<Boolean> found = CompletableFuture.supplyAsync(() -> {
                while (stream.hasNext()) {
                    if (stageMessage(stream.next()).contains(text)) {
                        return true;
                    }
                }
                return false;
            });
            try {
                if (!found.get(within.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new AssertionError("event stream ended without a stage event containing '" + text + "'");
                }
            } catch (TimeoutException e) {
                throw new AssertionError("no stage event containing '" + text + "' within " + within.toSeconds() + " s");
            }
        }
    }

    /** Waits until the node's event stream holds an event of {@code service} whose message contains {@code text}. */
    public static String awaitServiceMessage(MachineClient client, String service, String text, Duration within)
            throws Exception {
        try (ServerStream<Event> stream = client.events(-1)) {
            CompletableFuture<String> found = CompletableFuture.supplyAsync(() -> {
                while (stream.hasNext()) {
                    String message = serviceMessage(stream.next(), service);
                    if (message.contains(text)) {
                        return message;
                    }
                }
                throw new AssertionError("event stream ended without a " + service + " event containing '" + text + "'");
            });
            try {
                return found.get(within.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                throw new AssertionError("no " + service + " event containing '" + text + "' within "
                        + within.toSeconds() + " s");
            }
        }
    }

    private static String serviceMessage(Event event, String service) {
        if (!event.getData().is(dev.kiln.machinery.api.machine.ServiceStateEvent.class)) {
            return "";
        }
        try {
            var state = event.getData().unpack(dev.kiln.machinery.api.machine.ServiceStateEvent.class);
            return state.getService().equals(service) ? state.getMessage() : "";
        } catch (InvalidProtocolBufferException e) {
            return "";
        }
    }

    private static String stageMessage(Event event) {
        if (!event.getData().is(MachineStatusEvent.class)) {
            return "";
        }
        try {
            StringBuilder text = new StringBuilder();
            event.getData().unpack(MachineStatusEvent.class).getStatus().getUnmetConditionsList()
                    .forEach(condition -> text.append(condition.getReason()).append('\n'));
            return text.toString();
        } catch (InvalidProtocolBufferException e) {
            return "";
        }
    }
}
