package dev.kiln.testenv.sim;

import dev.kiln.capi.api.infrastructure.v1alpha1.KilnServer;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnServerSpec;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnServerStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;

/**
 * Many simulated machines in this JVM (test support, never shipped), each serving the machine API on its own
 * loopback address and port, all sharing a few threads. Counts every machine API call by method.
 */
public final class SimulatedFleet implements AutoCloseable {

    /**
     * @param rebootDelay how long a machine is down between going down and serving again (node-init restarts a JVM)
     * @param learnerCatchUp how long a learner takes before it is promoted (etcd's catch-up)
     * @param joinPoll how often a waiting control-plane machine looks for a peer that serves etcd (node-init: 1 s)
     */
    public record Settings(int port, Duration rebootDelay, Duration learnerCatchUp, Duration joinPoll) {

        public static Settings defaults() {
            return new Settings(50000, Duration.ofSeconds(1), Duration.ofMillis(500), Duration.ofSeconds(1));
        }
    }

    private static final int MAX_MESSAGE_BYTES = 2 * 1024 * 1024;

    private final Settings settings;
    private final Map<String, SimulatedMachine> byAddress = new ConcurrentHashMap<>();
    private final Map<Long, SimulatedMachine> memberOwners = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
    private final LongAdder bootstraps = new LongAdder();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(2, daemon("sim-timer"));
    private final ExecutorService callExecutor = Executors.newFixedThreadPool(4, daemon("sim-call"));

    private SimulatedFleet(Settings settings) {
        this.settings = settings;
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger next = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, prefix + "-" + next.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Boots one machine per address (hostname at the same index), each in maintenance mode. */
    public static SimulatedFleet start(Settings settings, List<String> hostnames, List<String> addresses) {
        SimulatedFleet fleet = new SimulatedFleet(settings);
        try {
            for (int i = 0; i < addresses.size(); i++) {
                SimulatedMachine machine = new SimulatedMachine(fleet, hostnames.get(i), addresses.get(i),
                        settings.port());
                fleet.byAddress.put(addresses.get(i), machine);
                machine.boot();
            }
            return fleet;
        } catch (RuntimeException | Error e) {
            fleet.close();
            throw e;
        }
    }

    /**
     * Registers a free, clean KilnServer per machine in {@code namespace}, named after the machine, with the
     * labels given for machine i (1-based, in start order), as the inventory of real machines is registered.
     */
    public void register(KubernetesClient client, String namespace, List<SimulatedMachine> machines,
            IntFunction<Map<String, String>> labels) {
        for (int i = 0; i < machines.size(); i++) {
            SimulatedMachine machine = machines.get(i);
            KilnServer server = new KilnServer();
            server.setMetadata(new ObjectMetaBuilder().withName(machine.name()).withNamespace(namespace)
                    .withLabels(labels.apply(i + 1)).build());
            server.setSpec(new KilnServerSpec(machine.endpoint(), machine.fingerprint()));
            client.resource(server).create();
            client.resources(KilnServer.class).inNamespace(namespace).withName(machine.name())
                    .editStatus(current -> {
                        KilnServerStatus status = new KilnServerStatus();
                        status.setClean(true);
                        status.setInUse(false);
                        status.setMaintenance(true);
                        current.setStatus(status);
                        return current;
                    });
        }
    }

    public List<SimulatedMachine> machines() {
        return byAddress.values().stream().sorted((a, b) -> compareAddresses(a.address(), b.address())).toList();
    }

    private static int compareAddresses(String a, String b) {
        String[] left = a.split("\\.");
        String[] right = b.split("\\.");
        for (int i = 0; i < Math.min(left.length, right.length); i++) {
            int c = Integer.compare(Integer.parseInt(left[i]), Integer.parseInt(right[i]));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(left.length, right.length);
    }

    public Optional<SimulatedMachine> machineAt(String address) {
        String host = address.contains(":") ? address.substring(0, address.indexOf(':')) : address;
        return Optional.ofNullable(byAddress.get(host));
    }

    /** Machine API calls served so far, by method. */
    public Map<String, Long> calls() {
        Map<String, Long> counts = new TreeMap<>();
        calls.forEach((method, count) -> counts.put(method, count.sum()));
        return counts;
    }

    public long totalCalls() {
        return calls.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** Bootstrap calls that founded a cluster. */
    public long bootstraps() {
        return bootstraps.sum();
    }

    /**
     * The etcd voters of the cluster whose member this machine holds, counted in the simulator's membership (no
     * machine API call): 0 when it holds none.
     */
    public long voters(SimulatedMachine machine) {
        return machine.voters();
    }

    // ---- for the machines

    Settings settings() {
        return settings;
    }

    ScheduledExecutorService timers() {
        return timers;
    }

    boolean closed() {
        return closed.get();
    }

    void ownMember(long memberId, SimulatedMachine machine) {
        memberOwners.put(memberId, machine);
    }

    void countBootstrap() {
        bootstraps.increment();
    }

    /** A member counts as up while its machine serves and its etcd runs or catches up. */
    boolean memberUp(long memberId) {
        SimulatedMachine owner = memberOwners.get(memberId);
        return owner != null && owner.serving() && owner.etcdPhase().holdsMember();
    }

    Server serve(SimulatedMachine machine, SimulatedTls tls) {
        boolean maintenance = tls instanceof SimulatedTls.Maintenance;
        try {
            SslContextBuilder ssl = GrpcSslContexts.forServer(stream(tls.certificatePem()), stream(tls.keyPem()));
            if (tls instanceof SimulatedTls.Configured configured) {
                ssl.trustManager(stream(configured.trustedCaPem())).clientAuth(ClientAuth.REQUIRE);
            } else {
                ssl.clientAuth(ClientAuth.NONE);
            }
            SslContext context = ssl.build();
            return NettyServerBuilder.forAddress(new InetSocketAddress(machine.address(), settings.port()))
                    .sslContext(context)
                    .executor(callExecutor)
                    .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                    // As node-init does: the operator pings its event streams every 10 s.
                    .permitKeepAliveTime(5, TimeUnit.SECONDS)
                    .addService(ServerInterceptors.intercept(new SimulatedMachineService(machine),
                            new SimulatedAccess(maintenance, this::count)))
                    .build()
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("serving the machine API of " + machine.hostname() + " on "
                    + machine.endpoint(), e);
        }
    }

    private void count(String method) {
        calls.computeIfAbsent(method, m -> new LongAdder()).increment();
    }

    private static InputStream stream(String pem) {
        return new ByteArrayInputStream(pem.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        byAddress.values().forEach(SimulatedMachine::close);
        timers.shutdownNow();
        callExecutor.shutdownNow();
    }
}
