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

    @Option(names = {"-n", "--nodes"}, split = ",", description = "nodes to target (default: the context's nodes)")
    List<String> nodes = new ArrayList<>();

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
        List<String> chosen = nodes.isEmpty() ? ctx.nodes() : nodes;
        if (chosen.isEmpty()) {
            chosen = ctx.endpoints();
        }
        if (chosen.isEmpty()) {
            throw new IllegalArgumentException("no nodes: pass --nodes or set nodes in the kilnconfig context");
        }
        return chosen.stream().map(NodeAddress::parse).toList();
    }

    public MachineClient connect(KilnContext ctx, NodeAddress node) {
        return MachineClient.connect(node, new ClientCredentials.MutualTls(ctx.ca(), ctx.crt(), ctx.key()));
    }
}
