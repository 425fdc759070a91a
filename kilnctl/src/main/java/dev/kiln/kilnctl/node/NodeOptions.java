package dev.kiln.kilnctl.node;

import dev.kiln.machinery.client.ClientCredentials;
import dev.kiln.machinery.client.MachineClient;
import dev.kiln.machinery.client.NodeAddress;
import dev.kiln.machinery.clientconfig.KilnConfig;
import dev.kiln.machinery.clientconfig.KilnContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import dev.kiln.kilnctl.Kilnctl;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Which nodes a command targets and with which credentials, taken from the kilnconfig unless overridden. Given before
 * the command ({@code kilnctl -n NODE version}), as talosctl takes its global flags, or after it; after wins.
 */
public final class NodeOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--kilnconfig", description = "client config file (default: $KILNCONFIG, then ./kilnconfig)")
    Path kilnconfig;

    @Option(names = "--context", description = "context of the kilnconfig to use (default: its current context)")
    String context;

    @Option(names = {"-n", "--nodes"}, split = ",", paramLabel = "NODE",
            description = "nodes to target (default: the context's nodes, else its endpoints)")
    List<String> nodes = new ArrayList<>();

    @Option(names = {"-e", "--endpoints"}, split = ",", paramLabel = "ENDPOINT",
            description = "where to connect (default: the context's endpoints); without nodes, the endpoints are the "
                    + "targets; given with other nodes, the first endpoint relays every call to the nodes")
    List<String> endpoints = new ArrayList<>();

    /** The same options given before the command, on kilnctl itself; none for kilnctl's own. */
    private Optional<NodeOptions> global() {
        return mixee != null && mixee.root().userObject() instanceof Kilnctl kilnctl && kilnctl.nodeOptions() != this
                ? Optional.of(kilnctl.nodeOptions()) : Optional.empty();
    }

    List<String> nodes() {
        return nodes.isEmpty() ? global().map(NodeOptions::nodes).orElse(nodes) : nodes;
    }

    List<String> endpoints() {
        return endpoints.isEmpty() ? global().map(NodeOptions::endpoints).orElse(endpoints) : endpoints;
    }

    private Path kilnconfig() {
        return kilnconfig != null ? kilnconfig : global().map(NodeOptions::kilnconfig).orElse(null);
    }

    private String context() {
        return context != null ? context : global().map(NodeOptions::context).orElse(null);
    }

    public KilnContext kilnContext() throws java.io.IOException {
        Path kilnconfig = kilnconfig();
        String context = context();
        Path path = kilnconfig != null ? kilnconfig
                : System.getenv("KILNCONFIG") != null ? Path.of(System.getenv("KILNCONFIG")) : Path.of("kilnconfig");
        if (!Files.exists(path)) {
            throw new IllegalArgumentException("no kilnconfig at " + path + " (use --kilnconfig or $KILNCONFIG)");
        }
        KilnConfig config = KilnConfig.load(path);
        return context == null ? config.current() : config.withCurrentContext(context).current();
    }

    /** The targets and, when {@code -e} differs from {@code -n}, the endpoint that relays calls to them. */
    public Targets.Route route(KilnContext ctx) {
        return Targets.resolve(nodes(), endpoints(), ctx.nodes(), ctx.endpoints());
    }

    /** The targets of a command that dials each node itself; a relaying endpoint is refused. */
    public List<NodeAddress> targets(KilnContext ctx, String command) {
        return Targets.direct(route(ctx), command);
    }

    /** The targets named on the command line alone, for commands that run without a kilnconfig. */
    public List<NodeAddress> targetsWithoutContext(String command) {
        return Targets.direct(Targets.resolve(nodes(), endpoints(), List.of(), List.of()), command);
    }

    public ClientCredentials credentials(KilnContext ctx) {
        return new ClientCredentials.MutualTls(ctx.ca(), ctx.crt(), ctx.key());
    }

    /** A client for {@code node}: through the route's endpoint when it relays, else dialled directly. */
    public MachineClient connect(KilnContext ctx, Targets.Route route, NodeAddress node) {
        ClientCredentials credentials = credentials(ctx);
        return route.relays(node) ? MachineClient.connectThrough(route.endpoint().get(), node, credentials)
                : MachineClient.connect(node, credentials);
    }
}
