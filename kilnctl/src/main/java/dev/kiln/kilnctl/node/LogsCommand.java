package dev.kiln.kilnctl.node;

import dev.kiln.machinery.api.common.Data;
import dev.kiln.machinery.client.MachineClient;
import dev.kiln.machinery.client.ServerStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "logs", description = "Prints a service's log.")
public final class LogsCommand extends NodeCommand {

    @Parameters(paramLabel = "SERVICE")
    String service;

    @Option(names = {"-f", "--follow"})
    boolean follow;

    @Option(names = "--tail", description = "lines from the end (-1: all; default: ${DEFAULT-VALUE})")
    int tail = -1;

    @Override
    protected void run(MachineClient client, PrintWriter out) {
        try (ServerStream<Data> stream = client.logs(service, follow, tail)) {
            while (stream.hasNext()) {
                out.print(stream.next().getBytes().toString(StandardCharsets.UTF_8));
                out.flush();
            }
        }
    }
}
