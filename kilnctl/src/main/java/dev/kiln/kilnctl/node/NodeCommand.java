package dev.kiln.kilnctl.node;

import dev.kiln.machinery.client.MachineApiException;
import dev.kiln.machinery.client.MachineClient;
import dev.kiln.machinery.client.NodeAddress;
import dev.kiln.machinery.clientconfig.KilnContext;
import java.io.PrintWriter;
import java.util.List;
import java.util.function.Function;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command run against each targeted node in turn, dialled directly or through the endpoint that relays to it; one
 * node's failure is one line and a non-zero exit.
 */
public abstract class NodeCommand implements Callable<Integer> {

    @Mixin
    protected NodeOptions nodeOptions;

    @Spec
    protected CommandSpec spec;

    protected abstract void run(MachineClient client, PrintWriter out) throws Exception;

    @Override
    public Integer call() throws Exception {
        KilnContext ctx = nodeOptions.kilnContext();
        Targets.Route route = nodeOptions.route(ctx);
        return onEachNode(route.nodes(), node -> nodeOptions.connect(ctx, route, node));
    }

    protected int onEachNode(List<NodeAddress> nodes, Function<NodeAddress, MachineClient> connect) throws Exception {
        int failures = 0;
        for (NodeAddress node : nodes) {
            try (MachineClient client = connect.apply(node)) {
                run(client, out());
            } catch (MachineApiException e) {
                spec.commandLine().getErr().println("error: " + e.getMessage());
                failures++;
            }
            out().flush();
        }
        return failures == 0 ? 0 : 1;
    }

    protected PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
