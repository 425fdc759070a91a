package dev.kiln.testenv.sim;

import dev.kiln.machinery.api.common.Metadata;
import dev.kiln.machinery.api.machine.Event;
import dev.kiln.machinery.api.machine.MachineStatusEvent;
import dev.kiln.machinery.client.RuntimeEvents;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Supplier;

/** A machine's event log, bounded as node-init's, with its followers on the Events stream. */
final class SimulatedEvents {

    private static final int KEPT = 200;

    private record Follower(ServerCallStreamObserver<Event> stream, Supplier<Metadata> metadata) {
    }

    private final Deque<Event> recent = new ArrayDeque<>();
    private final List<Follower> followers = new ArrayList<>();
    private long nextId = 1;

    synchronized void stage(SimulatedMachine.Stage stage, String message) {
        Event event = Event.newBuilder().setId(Long.toString(nextId++)).setData(RuntimeEvents.pack(
                MachineStatusEvent.newBuilder()
                        .setStageValue(stage.ordinal())
                        .setStatus(MachineStatusEvent.MachineStatus.newBuilder()
                                .setReady(stage == SimulatedMachine.Stage.RUNNING)
                                .addUnmetConditions(MachineStatusEvent.MachineStatus.UnmetCondition.newBuilder()
                                        .setName("message").setReason(message)))
                        .build())).build();
        recent.addLast(event);
        while (recent.size() > KEPT) {
            recent.removeFirst();
        }
        for (Follower follower : List.copyOf(followers)) {
            send(follower, event);
        }
    }

    /** Sends the last {@code tail} events (all when negative), then every new one until the caller goes. */
    synchronized void follow(ServerCallStreamObserver<Event> stream, int tail, Supplier<Metadata> metadata) {
        Follower follower = new Follower(stream, metadata);
        List<Event> past = new ArrayList<>(recent);
        int from = tail < 0 ? 0 : Math.max(0, past.size() - tail);
        for (Event event : past.subList(from, past.size())) {
            send(follower, event);
        }
        followers.add(follower);
        stream.setOnCancelHandler(() -> {
            synchronized (SimulatedEvents.this) {
                followers.remove(follower);
            }
        });
    }

    private void send(Follower follower, Event event) {
        try {
            follower.stream().onNext(event.toBuilder().setMetadata(follower.metadata().get()).build());
        } catch (RuntimeException e) {
            followers.remove(follower);
        }
    }

    /** A reboot ends every stream, as the node-init process ending does. */
    synchronized void closeFollowers() {
        for (Follower follower : followers) {
            try {
                follower.stream().onError(io.grpc.Status.UNAVAILABLE.withDescription("machine rebooting")
                        .asRuntimeException());
            } catch (RuntimeException e) {
                // already gone
            }
        }
        followers.clear();
    }
}
