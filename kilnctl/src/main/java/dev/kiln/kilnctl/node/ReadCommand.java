package dev.kiln.kilnctl.node;

import com.google.protobuf.Message;
import dev.kiln.kilnctl.output.NodeMessages;
import dev.kiln.kilnctl.output.NodeMessages.NodeMessage;
import dev.kiln.kilnctl.output.OutputOptions;
import dev.kiln.kilnctl.output.Table;
import dev.kiln.machinery.client.FanoutReads;
import dev.kiln.machinery.client.MachineApiException;
import dev.kiln.machinery.client.MachineClient;
import dev.kiln.machinery.client.NodeAddress;
import dev.kiln.machinery.client.NodeReply;
import dev.kiln.machinery.clientconfig.KilnContext;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Mixin;

/**
 * A command that reads one message from each node and prints them together: one table with a NODE column and one
 * header, or each node's message as JSON or YAML ({@code -o}). A node that fails is one error line and a non-zero
 * exit; the others are still printed. Through a relaying endpoint, all nodes are read in one call and each is
 * labelled as the endpoint tagged its reply.
 */
public abstract class ReadCommand<M extends Message> extends NodeCommand {

    @Mixin
    OutputOptions output;

    protected abstract M read(MachineClient client);

    /** Every node's message from one call that the endpoint relays to all of them. */
    protected abstract List<NodeReply<M>> readEach(FanoutReads reads);

    /** Column names, without NODE. */
    protected abstract List<String> header();

    /** One node's rows, without the node. */
    protected abstract List<List<String>> rows(M message);

    private final List<NodeMessage> answers = new ArrayList<>();

    @Override
    protected final void run(MachineClient client, PrintWriter out) {
        answers.add(new NodeMessage(client.node().toString(), read(client)));
    }

    /** Reads every node first, so one table or one stream of documents holds them all. */
    @Override
    public Integer call() throws Exception {
        KilnContext ctx = nodeOptions.kilnContext();
        Targets.Route route = nodeOptions.route(ctx);
        int exit = route.endpoint().isPresent() ? readThrough(route.endpoint().get(), route.nodes(), ctx)
                : onEachNode(route.nodes(), node -> nodeOptions.connect(ctx, route, node));
        if (answers.isEmpty()) {
            return exit;
        }
        print(answers, out());
        out().flush();
        return exit;
    }

    /** One call through the endpoint; each node that failed is one error line. */
    private int readThrough(NodeAddress endpoint, List<NodeAddress> nodes, KilnContext ctx) {
        int failures = 0;
        try (FanoutReads reads = FanoutReads.connect(endpoint, nodes, nodeOptions.credentials(ctx))) {
            for (NodeReply<M> reply : readEach(reads)) {
                if (reply instanceof NodeReply.Answered<M> answered) {
                    answers.add(new NodeMessage(answered.node(), answered.value()));
                } else {
                    spec.commandLine().getErr().println("error: " + ((NodeReply.Failed<M>) reply).describe(endpoint));
                    failures++;
                }
            }
        } catch (MachineApiException e) {
            spec.commandLine().getErr().println("error: endpoint " + endpoint + " relaying to "
                    + nodes.stream().map(NodeAddress::toString).collect(Collectors.joining(",")) + ": " + e.code()
                    + (e.status().getDescription() == null ? "" : ": " + e.status().getDescription()));
            return 1;
        }
        return failures == 0 ? 0 : 1;
    }

    @SuppressWarnings("unchecked")
    private void print(List<NodeMessage> answers, PrintWriter out) {
        switch (output.format()) {
            case JSON -> out.print(NodeMessages.json(answers));
            case YAML -> out.print(NodeMessages.yaml(answers));
            case TABLE -> out.print(Table.byNode(header(), answers.stream()
                    .map(answer -> new Table.NodeRows(answer.node(), rows((M) answer.message()))).toList()).render());
        }
    }
}
