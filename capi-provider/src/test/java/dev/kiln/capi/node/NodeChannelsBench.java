package dev.kiln.capi.node;

import dev.kiln.machinery.client.MachineClient;
import dev.kiln.machinery.client.NodeAddress;
import dev.kiln.machinery.client.RetryPolicy;
import dev.kiln.machinery.pki.CertificateRequest;
import dev.kiln.machinery.pki.IssuedCertificate;
import dev.kiln.machinery.pki.SecretsBundle;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Mutual-TLS Version calls to one node, a new channel per call (a fresh client certificate and handshake each) against
 * {@link GrpcNodeConnector}'s shared channel, in pairs per round. Prints figures; asserts nothing.
 * Arguments: {@code [--calls N] [--rounds R]}. Loopback 127.0.44.10 only.
 */
public final class NodeChannelsBench {

    private static final String HOST = "127.0.44.10";
    private static final Duration DEADLINE = Duration.ofSeconds(15);

    private record Figures(double millisPerCall, double cpuMillisPerCall, int connections) {
    }

    private interface Calls {
        void run(int count);
    }

    public static void main(String[] args) throws Exception {
        int calls = 200;
        int rounds = 3;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--calls" -> calls = positive("--calls", args[++i]);
                case "--rounds" -> rounds = positive("--rounds", args[++i]);
                default -> throw new IllegalArgumentException("unknown argument: " + args[i]);
            }
        }
        SecretsBundle cluster = SecretsBundle.generate();
        IssuedCertificate serverCertificate = cluster.os().issue(
                CertificateRequest.server("node", List.of(), List.of(HOST), Duration.ofDays(1)));
        NodeCredentials admin = new NodeCredentials.ClusterAdmin(cluster);
        try (TlsMachineServer server = new TlsMachineServer(HOST).start(0, serverCertificate, cluster.os());
                GrpcNodeConnector shared = new GrpcNodeConnector(DEADLINE)) {
            NodeAddress node = NodeAddress.parse(server.address());
            Calls channelPerCall = count -> {
                for (int i = 0; i < count; i++) {
                    try (MachineClient client = MachineClient.connect(node,
                            GrpcNodeConnector.clientCredentials(node, admin), DEADLINE, RetryPolicy.defaults())) {
                        client.version();
                    }
                }
            };
            Calls sharedChannel = count -> {
                for (int i = 0; i < count; i++) {
                    try (NodeApi api = shared.connect(server.address(), admin)) {
                        api.version();
                    }
                }
            };
            channelPerCall.run(calls / 4);
            sharedChannel.run(calls / 4);
            System.out.printf("%d mutual-TLS Version calls per figure; node server in this JVM (its CPU counts too), "
                    + "%d cores%n", calls, Runtime.getRuntime().availableProcessors());
            System.out.printf("%-6s %-34s %-34s %s%n", "round", "channel per call", "shared channel",
                    "ratio (wall, cpu)");
            for (int round = 1; round <= rounds; round++) {
                Figures perCall = measure(server, channelPerCall, calls);
                Figures perNode = measure(server, sharedChannel, calls);
                System.out.printf(Locale.ROOT, "%-6d %-34s %-34s %.1fx, %.1fx%n", round, describe(perCall),
                        describe(perNode), perCall.millisPerCall() / perNode.millisPerCall(),
                        perCall.cpuMillisPerCall() / perNode.cpuMillisPerCall());
            }
        }
    }

    private static Figures measure(TlsMachineServer server, Calls calls, int count) {
        int connectionsBefore = server.connections();
        long cpuBefore = processCpuNanos();
        long start = System.nanoTime();
        calls.run(count);
        long wall = System.nanoTime() - start;
        long cpu = processCpuNanos() - cpuBefore;
        return new Figures(wall / 1e6 / count, cpu / 1e6 / count, server.connections() - connectionsBefore);
    }

    private static String describe(Figures figures) {
        return String.format(Locale.ROOT, "%.2f ms, cpu %.2f ms, %d new tls", figures.millisPerCall(),
                figures.cpuMillisPerCall(), figures.connections());
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static int positive(String flag, String value) {
        try {
            int number = Integer.parseInt(value);
            if (number > 0) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(flag + ": expected a positive number, got '" + value + "'");
    }
}
