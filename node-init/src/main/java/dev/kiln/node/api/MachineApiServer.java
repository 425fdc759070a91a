package dev.kiln.node.api;

import dev.kiln.node.api.proxy.Relay;
import dev.kiln.node.api.proxy.RelayInterceptor;
import dev.kiln.node.grpc.NettyTls;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The machine API listener: TLS always, client certificates required unless the node is in maintenance. Interceptors
 * run response headers, then authorization, then relaying, so a relayed call is authorized here first.
 */
public final class MachineApiServer implements AutoCloseable {

    /** Room for a 1 MiB config or a 1 MiB snapshot chunk and its envelope; larger messages are refused unread. */
    static final int MAX_MESSAGE_BYTES = 2 * 1024 * 1024;
    static final int MAX_CONCURRENT_CALLS_PER_CONNECTION = 64;
    /** Clients that follow the Events stream ping this often to notice a cut network; more often is refused. */
    static final Duration CLIENT_PING_EVERY = Duration.ofSeconds(5);

    // Two threads take the node's handful of connections; gRPC's default would start up to two per CPU.
    private static final int EVENT_LOOP_THREADS = 2;
    private static final long EXIT_WAIT_SECONDS = 3;

    private final Server server;
    private final EventLoopGroup eventLoops;

    private MachineApiServer(Server server, EventLoopGroup eventLoops) {
        this.server = server;
        this.eventLoops = eventLoops;
    }

    public static MachineApiServer start(InetSocketAddress listen, ApiTls tls, BindableService service)
            throws IOException {
        boolean maintenance = tls instanceof ApiTls.Maintenance;
        Set<String> selfHosts = new HashSet<>(Set.of(listen.getHostString()));
        Optional<Relay> relay = Optional.empty();
        String cannotRelay = "maintenance mode: this node relays no calls";
        if (tls instanceof ApiTls.Configured configured) {
            selfHosts.add(configured.hostname());
            relay = configured.identity().map(identity -> new Relay(identity, configured.trustedCaPem(),
                    MAX_MESSAGE_BYTES));
            cannotRelay = ApiTls.NO_CA_KEY_RELAY;
        }
        RelayInterceptor relaying = new RelayInterceptor(selfHosts, listen.getPort(), relay, cannotRelay,
                AccessInterceptor.CALLER_ROLES::get, () -> Boolean.TRUE.equals(AccessInterceptor.RELAYED.get()));
        // Its own event loops, which close() ends: gRPC's shared ones outlive the server by a second, and the JVM's
        // exit waits 300 ms for threads still blocked in native code (their epoll wait) before it halts.
        EventLoopGroup eventLoops = new MultiThreadIoEventLoopGroup(EVENT_LOOP_THREADS,
                new DefaultThreadFactory("machine-api", true), NioIoHandler.newFactory());
        Server server = NettyServerBuilder.forAddress(listen)
                .bossEventLoopGroup(eventLoops)
                .workerEventLoopGroup(eventLoops)
                .channelType(NioServerSocketChannel.class)
                .sslContext(sslContext(tls))
                .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                .maxConcurrentCallsPerConnection(MAX_CONCURRENT_CALLS_PER_CONNECTION)
                .permitKeepAliveTime(CLIENT_PING_EVERY.toMillis(), TimeUnit.MILLISECONDS)
                .addService(ServerInterceptors.intercept(service, relaying, new AccessInterceptor(maintenance),
                        new ResponseHeaders()))
                .build();
        try {
            server.start();
        } catch (IOException | RuntimeException e) {
            eventLoops.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw e;
        }
        return new MachineApiServer(server, eventLoops);
    }

    private static SslContext sslContext(ApiTls tls) throws IOException {
        if (tls instanceof ApiTls.Configured configured) {
            return NettyTls.server(configured.keys(), Optional.of(configured.trustedCaPem()));
        }
        ApiTls.Maintenance maintenance = (ApiTls.Maintenance) tls;
        return NettyTls.server(ServingKeys.of(maintenance.serverCertificatePem(), maintenance.serverKeyPem()),
                Optional.empty());
    }

    public int port() {
        return server.getPort();
    }

    @Override
    public void close() {
        server.shutdown();
        try {
            if (!server.awaitTermination(3, TimeUnit.SECONDS)) {
                server.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.shutdownNow();
        }
        eventLoops.shutdownGracefully(0, 0, TimeUnit.SECONDS).awaitUninterruptibly(EXIT_WAIT_SECONDS, TimeUnit.SECONDS);
    }
}
