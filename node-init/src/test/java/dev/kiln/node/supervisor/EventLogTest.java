package dev.kiln.node.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class EventLogTest {

    @Test
    void eventsAreTailableAndFollowable() throws InterruptedException {
        EventLog log = new EventLog(100);
        log.append(new MachineStageEvent(MachineStage.BOOTING, "boot"));
        log.append(service("etcd", ServiceState.PREPARING));
        log.append(service("etcd", ServiceState.RUNNING));

        List<EventLog.Entry> tail = log.tail(2);
        assertEquals(2, tail.size());
        assertEquals(ServiceState.PREPARING, ((ServiceEvent) tail.get(0).event()).state());
        assertTrue(tail.get(0).id().compareTo(tail.get(1).id()) < 0, "ids increase as strings");
        assertEquals(List.of(tail.get(1)), log.after(tail.get(0).id()));

        List<EventLog.Entry> seen = new CopyOnWriteArrayList<>();
        Subscription subscription = log.follow(1, seen::add);
        try (Follower<EventLog.Entry> follower = log.follow(0)) {
            EventLog.Entry running = log.append(new MachineStageEvent(MachineStage.RUNNING, "up"));
            subscription.close();
            log.append(service("etcd", ServiceState.STOPPING));

            assertEquals(List.of(tail.get(1), running), seen);
            assertEquals(running, follower.poll(Duration.ofSeconds(5)).orElseThrow());
            assertEquals(ServiceState.STOPPING,
                    ((ServiceEvent) follower.poll(Duration.ofSeconds(5)).orElseThrow().event()).state());
        }
    }

    @Test
    void idsKeepIncreasingBeyondTheRetainedWindow() {
        EventLog log = new EventLog(2);
        String first = log.append(new MachineStageEvent(MachineStage.BOOTING, "")).id();
        for (int i = 0; i < 5; i++) {
            log.append(new MachineStageEvent(MachineStage.RUNNING, "tick " + i));
        }

        List<EventLog.Entry> retained = log.tail(10);
        assertEquals(2, retained.size());
        assertTrue(first.compareTo(retained.get(0).id()) < 0);
        assertEquals(retained, log.after(first));
    }

    private static ServiceEvent service(String id, ServiceState state) {
        return new ServiceEvent(id, state, "", Instant.now(), Health.unknown(""));
    }
}
