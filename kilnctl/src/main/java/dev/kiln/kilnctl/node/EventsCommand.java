package dev.kiln.kilnctl.node;

import dev.kiln.machinery.api.machine.Event;
import dev.kiln.machinery.api.machine.MachineStatusEvent;
import dev.kiln.machinery.api.machine.ServiceStateEvent;
import dev.kiln.machinery.client.MachineClient;
import dev.kiln.machinery.client.ServerStream;
import java.io.PrintWriter;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "events", description = "Streams node events: service states and machine stages.")
public final class EventsCommand extends NodeCommand {

    @Option(names = "--tail", description = "past events to show first (-1: all; default: ${DEFAULT-VALUE})")
    int tail = -1;

    @Option(names = "--duration", description = "stop after this long, e.g. 30s, 2m (a bare number is seconds; "
            + "0: follow until interrupted)")
    Duration duration = Duration.ZERO;

    @Override
    protected void run(MachineClient client, PrintWriter out) throws Exception {
        boolean follow = duration.isZero();
        long until = follow ? Long.MAX_VALUE : System.currentTimeMillis() + duration.toMillis();
        try (ServerStream<Event> stream = client.events(tail)) {
            Thread closer = follow ? null : new Thread(() -> {
                try {
                    Thread.sleep(Math.max(0, until - System.currentTimeMillis()));
                } catch (InterruptedException ignored) {
                    return;
                }
                stream.close();
            });
            if (closer != null) {
                closer.setDaemon(true);
                closer.start();
            }
            while (System.currentTimeMillis() < until && hasNext(stream)) {
                out.println(client.node() + " " + describe(stream.next()));
                out.flush();
            }
        }
    }

    private static boolean hasNext(ServerStream<Event> stream) {
        try {
            return stream.hasNext();
        } catch (RuntimeException cancelled) {
            return false;
        }
    }

    static String describe(Event event) throws Exception {
        if (event.getData().is(ServiceStateEvent.class)) {
            ServiceStateEvent service = event.getData().unpack(ServiceStateEvent.class);
            return event.getId() + " service " + service.getService() + " " + service.getAction() + ": " + service.getMessage();
        }
        if (event.getData().is(MachineStatusEvent.class)) {
            MachineStatusEvent machine = event.getData().unpack(MachineStatusEvent.class);
            return event.getId() + " machine " + machine.getStage() + (machine.getStatus().getReady() ? " ready" : "");
        }
        return event.getId() + " " + event.getData().getTypeUrl();
    }
}
