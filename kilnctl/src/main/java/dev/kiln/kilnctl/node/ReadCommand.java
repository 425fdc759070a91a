package dev.kiln.kilnctl.node;

import com.google.protobuf.Message;
import dev.kiln.kilnctl.output.NodeMessages;
import dev.kiln.kilnctl.output.NodeMessages.NodeMessage;
import dev.kiln.kilnctl.output.OutputOptions;
import dev.kiln.kilnctl.output.Table;
import dev.kiln.machinery.client.MachineClient;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Mixin;

/**
 * A command that reads one message from each node and prints them together: one table with a NODE column and one
 * header, or each node's message as JSON or YAML ({@code -o}). A node that fails is one error line and a non-zero
 * exit; the others are still printed.
 */
public abstract class ReadCommand<M extends Message> extends NodeCommand {

    @Mixin
    OutputOptions output;

    protected abstract M read(MachineClient client);

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
        int exit = super.call();
        if (answers.isEmpty()) {
            return exit;
        }
        print(answers, out());
        out().flush();
        return exit;
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
