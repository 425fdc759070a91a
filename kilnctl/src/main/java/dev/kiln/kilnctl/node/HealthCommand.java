package dev.kiln.kilnctl.node;

import dev.kiln.kilnctl.DurationConverter;
import dev.kiln.machinery.api.machine.EtcdMemberStatus;
import dev.kiln.machinery.api.machine.EtcdMembers;
import dev.kiln.machinery.api.machine.ServiceInfo;
import dev.kiln.machinery.api.machine.Version;
import dev.kiln.machinery.client.ClientCredentials;
import dev.kiln.machinery.client.MachineApiException;
import dev.kiln.machinery.client.MachineClient;
import dev.kiln.machinery.client.NodeAddress;
import dev.kiln.machinery.client.RetryPolicy;
import dev.kiln.machinery.clientconfig.KilnContext;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "health", description = {"Waits until the control plane is healthy: etcd healthy, one etcd cluster "
        + "whose voting members are the nodes, every service running, one version on every node.",
        "The targeted nodes (-n) are taken as the control-plane nodes. Exits 0 once every check passes in turn; on "
                + "--wait-timeout, exits 1 naming the check that did not pass."})
public final class HealthCommand implements Callable<Integer> {

    private static final Duration POLL = Duration.ofSeconds(1);
    private static final Duration CALL_DEADLINE = Duration.ofSeconds(5);

    @Mixin
    NodeOptions nodeOptions;

    @Option(names = "--wait-timeout", description = "how long to wait for every check to pass, e.g. 90s, 5m "
            + "(a bare number is seconds; default: 20m)")
    Duration waitTimeout = Duration.ofMinutes(20);

    @Spec
    CommandSpec spec;

    /** A named check and how it reads the nodes to reach its verdict. */
    private record HealthCheck(String name, Function<Nodes, CheckResult> evaluate) {
    }

    private static final List<HealthCheck> CHECKS = List.of(
            new HealthCheck("etcd to be healthy", nodes -> HealthRules.etcdHealthy(nodes.statuses())),
            new HealthCheck("etcd members to be consistent across nodes",
                    nodes -> HealthRules.etcdMembersConsistent(nodes.statuses(), nodes.members())),
            new HealthCheck("etcd members to be the control plane nodes, all voting",
                    nodes -> HealthRules.etcdMembersAreTheNodes(nodes.hostnames(), nodes.members())),
            new HealthCheck("all services to be running",
                    nodes -> HealthRules.servicesRunning(nodes.services())),
            new HealthCheck("versions to agree across control plane nodes",
                    nodes -> HealthRules.versionsAgree(nodes.versions())));

    @Override
    public Integer call() throws Exception {
        KilnContext ctx = nodeOptions.kilnContext();
        List<NodeAddress> targets = nodeOptions.targets(ctx, "health");
        PrintWriter out = spec.commandLine().getOut();
        out.println("control plane nodes: " + targets.stream().map(NodeAddress::toString).toList());
        long deadline = System.nanoTime() + waitTimeout.toNanos();
        try (Nodes nodes = Nodes.connect(targets, ctx)) {
            for (HealthCheck check : CHECKS) {
                if (!waitFor(check, nodes, deadline, out)) {
                    return 1;
                }
            }
        }
        return 0;
    }

    private boolean waitFor(HealthCheck check, Nodes nodes, long deadline, PrintWriter out)
            throws InterruptedException {
        String waiting = "waiting for " + check.name() + ": ";
        out.println(waiting + "...");
        out.flush();
        String last = null;
        while (true) {
            CheckResult result = check.evaluate().apply(nodes);
            if (result instanceof CheckResult.Failing failing) {
                if (!failing.reason().equals(last)) {
                    out.println(waiting + failing.reason());
                    out.flush();
                    last = failing.reason();
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    spec.commandLine().getErr().println("error: health check \"" + check.name() + "\" did not pass "
                            + "within --wait-timeout " + DurationConverter.format(waitTimeout) + ": "
                            + failing.reason());
                    return false;
                }
                Thread.sleep(Math.min(POLL.toMillis(), Math.max(1, left / 1_000_000)));
            } else {
                out.println(waiting + "OK");
                out.flush();
                return true;
            }
        }
    }

    /** One client per node, asked afresh on every poll; a call that fails is that node's answer. */
    private record Nodes(List<MachineClient> clients) implements AutoCloseable {

        static Nodes connect(List<NodeAddress> targets, KilnContext ctx) {
            ClientCredentials credentials = new ClientCredentials.MutualTls(ctx.ca(), ctx.crt(), ctx.key());
            List<MachineClient> clients = new ArrayList<>();
            for (NodeAddress target : targets) {
                clients.add(MachineClient.connect(target, credentials, CALL_DEADLINE, RetryPolicy.none()));
            }
            return new Nodes(clients);
        }

        <T> List<Answer<T>> ask(Function<MachineClient, T> read) {
            List<Answer<T>> answers = new ArrayList<>();
            for (MachineClient client : clients) {
                String node = client.node().toString();
                try {
                    answers.add(new Answer.Got<>(node, read.apply(client)));
                } catch (MachineApiException e) {
                    answers.add(new Answer.Failed<>(node, e.getMessage()));
                }
            }
            return answers;
        }

        List<Answer<EtcdMemberStatus>> statuses() {
            return ask(MachineClient::etcdStatus);
        }

        List<Answer<EtcdMembers>> members() {
            return ask(client -> client.etcdMemberList(false));
        }

        List<Answer<String>> hostnames() {
            return ask(MachineClient::hostname);
        }

        List<Answer<List<ServiceInfo>>> services() {
            return ask(MachineClient::serviceList);
        }

        List<Answer<Version>> versions() {
            return ask(MachineClient::version);
        }

        @Override
        public void close() {
            clients.forEach(MachineClient::close);
        }
    }
}
