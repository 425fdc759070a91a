package dev.kiln.capi.node.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.capi.node.NodeCredentials;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NodeEventStreamsTest {

    private static final NodeCredentials CREDENTIALS = new NodeCredentials.Maintenance("ab");
    private static final ResourceID MACHINE = new ResourceID("m1", "ns");
    private static final ResourceID OTHER = new ResourceID("m2", "ns");

    /** Each follow the streams open, with the listener they passed. */
    private record Opened(String address, NodeEventFeed.Listener listener, boolean[] closed) {
    }

    private final BlockingQueue<Opened> opened = new LinkedBlockingQueue<>();
    private final BlockingQueue<ResourceID> triggered = new LinkedBlockingQueue<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final NodeEventStreams streams = new NodeEventStreams((address, credentials, listener) -> {
        boolean[] closed = {false};
        opened.add(new Opened(address, listener, closed));
        return () -> closed[0] = true;
    }, scheduler);

    /** Runs everything the streams queued so far, as the scheduler runs tasks in order. */
    private void drain() throws Exception {
        scheduler.submit(() -> { }).get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void close() {
        streams.close();
    }

    private Opened nextOpened() throws InterruptedException {
        Opened next = opened.poll(10, TimeUnit.SECONDS);
        assertTrue(next != null, "no stream was opened");
        return next;
    }

    @Test
    void everyEventOfATrackedNodeTriggersItsOwner() throws Exception {
        streams.subscribe("machines", triggered::add);
        streams.track("machines", MACHINE, Map.of("10.0.0.1:50000", CREDENTIALS));
        Opened stream = nextOpened();
        assertEquals("10.0.0.1:50000", stream.address());
        stream.listener().onEvent();
        stream.listener().onEvent();
        assertEquals(MACHINE, triggered.poll(10, TimeUnit.SECONDS));
        assertEquals(MACHINE, triggered.poll(10, TimeUnit.SECONDS));
    }

    @Test
    void aLostStreamTriggersItsOwnerAndIsOpenedAgain() throws Exception {
        streams.subscribe("machines", triggered::add);
        streams.track("machines", MACHINE, Map.of("10.0.0.1:50000", CREDENTIALS));
        Opened first = nextOpened();
        first.listener().onEvent();
        assertEquals(MACHINE, triggered.poll(10, TimeUnit.SECONDS));
        first.listener().onEnd("connection reset");
        assertEquals(MACHINE, triggered.poll(10, TimeUnit.SECONDS));
        Opened again = nextOpened();
        assertEquals("10.0.0.1:50000", again.address());
    }

    @Test
    void oneStreamPerNodeTriggersEveryOwnerOfEverySource() throws Exception {
        List<ResourceID> clusters = new CopyOnWriteArrayList<>();
        streams.subscribe("machines", triggered::add);
        streams.subscribe("clusters", clusters::add);
        streams.track("machines", MACHINE, Map.of("10.0.0.1:50000", CREDENTIALS));
        streams.track("clusters", OTHER, Map.of("10.0.0.1:50000", CREDENTIALS));
        Opened stream = nextOpened();
        stream.listener().onEvent();
        assertEquals(MACHINE, triggered.poll(10, TimeUnit.SECONDS));
        assertEquals(List.of(OTHER), clusters);
        drain();
        assertTrue(opened.isEmpty(), "a second stream to the same node: " + opened);
    }

    @Test
    void aNodeNoOwnerTracksAnyMoreHasItsStreamClosed() throws Exception {
        streams.track("machines", MACHINE, Map.of("10.0.0.1:50000", CREDENTIALS));
        Opened stream = nextOpened();
        stream.listener().onEvent();
        assertTrue(streams.tracks("machines", MACHINE));
        streams.track("machines", MACHINE, Map.of());
        // A stream still being opened on the scheduler is closed there once it is handed over.
        drain();
        assertTrue(stream.closed()[0], "the stream stays open");
        assertFalse(streams.tracks("machines", MACHINE));
        assertEquals(0, streams.openStreams());
    }

    @Test
    void reconnectsSoonAtFirstThenEveryQuarterSecondThenPatientlyForADownNode() {
        assertEquals(Duration.ofMillis(100), ReconnectDelay.after(1));
        assertEquals(Duration.ofMillis(200), ReconnectDelay.after(2));
        assertEquals(Duration.ofMillis(250), ReconnectDelay.after(3));
        assertEquals(Duration.ofMillis(250), ReconnectDelay.after(ReconnectDelay.PATIENT_AFTER));
        assertEquals(ReconnectDelay.DOWN_NODE, ReconnectDelay.after(ReconnectDelay.PATIENT_AFTER + 1));
    }
}
