package dev.kiln.kilnctl.node;

import dev.kiln.machinery.client.ClientCredentials;
import dev.kiln.machinery.client.MachineClient;
import dev.kiln.machinery.client.NodeAddress;
import dev.kiln.machinery.clientconfig.KilnConfig;
import dev.kiln.machinery.clientconfig.KilnContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Which nodes a command targets and with which credentials, taken from the kilnconfig unless overridden. */
public final class NodeOptions {

    @Option(names = "--kilnconfig", description = "client config file (default: $KILNCONFIG, then ./kilnconfig)")
    Path kilnconfig;

    @Option(names = "--context", description = "context of the kilnconfig to use (default: its current context)")
    String context;

    @Option(names = {"-n", "--nodes"}, split = ",", paramLabel = "NODE",
            description = "nodes to target (default: the context's nodes, else its endpoints)")
    List<String> nodes = new ArrayList<>();

    @Option(names = {"-e", "--endpoints"}, split = ",", paramLabel = "ENDPOINT",
            description = "where to connect (default: the context's endpoints); without nodes, the endpoints are the "
                    + "targets; proxying to other nodes is not supported yet, so endpoints must match -n when both are given")
    List<String> endpoints = new ArrayList<>();

    public KilnContext kilnContext() throws java.io.IOException {
        Path path = kilnconfig != null ? kilnconfig
                : System.getenv("KILNCONFIG") != null ? Path.of(System.getenv("KILNCONFIG")) : Path.of("kilnconfig");
        if (!Files.exists(path)) {
            throw new IllegalArgumentException("no kilnconfig at " + path + " (use --kilnconfig or $KILNCONFIG)");
        }
        KilnConfig config = KilnConfig.load(path);
        return context == null ? config.current() : config.withCurrentContext(context).current();
    }

    /** Kiln nodes serve no proxy, so each targeted node is dialled at its own address. */
    public List<NodeAddress> targets(KilnContext ctx) {
        return Targets.resolve(nodes, endpoints, ctx.nodes(), ctx.endpoints());
    }

    /** The targets named on the command line alone, for commands that run without a kilnconfig. */
    public List<NodeAddress> targetsWithoutContext() {
        return Targets.resolve(nodes, endpoints, List.of(), List.of());
    }

    public MachineClient connect(KilnContext ctx, NodeAddress node) {
        return MachineClient.connect(node, new ClientCredentials.MutualTls(ctx.ca(), ctx.crt(), ctx.key()));
    }
}
