package dev.kiln.capi.node;

import com.google.protobuf.Empty;
import dev.kiln.machinery.api.machine.ApplyConfiguration;
import dev.kiln.machinery.api.machine.ApplyConfigurationRequest;
import dev.kiln.machinery.api.machine.ApplyConfigurationResponse;
import dev.kiln.machinery.api.machine.Event;
import dev.kiln.machinery.api.machine.EventsRequest;
import dev.kiln.machinery.api.machine.MachineServiceGrpc;
import dev.kiln.machinery.api.machine.PlatformInfo;
import dev.kiln.machinery.api.machine.Version;
import dev.kiln.machinery.api.machine.VersionInfo;
import dev.kiln.machinery.api.machine.VersionResponse;
import dev.kiln.machinery.client.GrpcTls;
import dev.kiln.machinery.pki.CertificateAuthority;
import dev.kiln.machinery.pki.IssuedCertificate;
import io.grpc.Attributes;
import io.grpc.Server;
import io.grpc.ServerTransportFilter;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real gRPC server over real TLS answering the machine API's Version and ApplyConfiguration, counting the TLS
 * connections it accepted and saw close, so a test can tell how many handshakes its client made (test support).
 */
public final class TlsMachineServer implements AutoCloseable {

    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger closedConnections = new AtomicInteger();
    private final AtomicInteger configurationsApplied = new AtomicInteger();
    private final String host;
    private Duration permittedPingEvery = Duration.ofSeconds(5);
    private Server server;
    private int port;

    public TlsMachineServer(String host) {
        this.host = host;
    }

    /** gRPC's own default, 5 minutes, makes the server end a connection whose client pings more often. */
    public TlsMachineServer permittingPingsEvery(Duration every) {
        this.permittedPingEvery = every;
        return this;
    }

    /** Serves {@code certificate}; with {@code clientCa} it requires a client certificate that CA issued. */
    public TlsMachineServer start(int onPort, IssuedCertificate certificate, CertificateAuthority clientCa)
            throws IOException {
        SslContext tls = GrpcTls.server(GrpcTls.keys(certificate.certificatePem(), certificate.keyPem()),
                Optional.ofNullable(clientCa).map(CertificateAuthority::certificatePem));
        server = NettyServerBuilder.forAddress(new InetSocketAddress(host, onPort))
                .withOption(ChannelOption.SO_REUSEADDR, true)
                .sslContext(tls)
                // As node-init does, unless a test asks otherwise: clients that follow the Events stream ping every 10 s.
                .permitKeepAliveTime(permittedPingEvery.toMillis(), TimeUnit.MILLISECONDS)
                .addService(new Node())
                .addTransportFilter(new ServerTransportFilter() {
                    @Override
                    public Attributes transportReady(Attributes transportAttrs) {
                        connections.incrementAndGet();
                        return transportAttrs;
                    }

                    @Override
                    public void transportTerminated(Attributes transportAttrs) {
                        closedConnections.incrementAndGet();
                    }
                })
                .build().start();
        port = server.getPort();
        return this;
    }

    public String address() {
        return host + ":" + port;
    }

    int port() {
        return port;
    }

    /** TLS connections accepted so far, each one full handshake. */
    int connections() {
        return connections.get();
    }

    int configurationsApplied() {
        return configurationsApplied.get();
    }

    int closedConnections() {
        return closedConnections.get();
    }

    /** Stops the server and drops every connection, as a node going down does. */
    void stop() throws InterruptedException {
        server.shutdownNow();
        server.awaitTermination(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (server != null) {
            stop();
        }
    }


    private final class Node extends MachineServiceGrpc.MachineServiceImplBase {
        @Override
        public void version(Empty request, StreamObserver<VersionResponse> reply) {
            reply.onNext(VersionResponse.newBuilder().addMessages(Version.newBuilder()
                    .setVersion(VersionInfo.newBuilder().setTag("v1.0.0"))
                    .setPlatform(PlatformInfo.newBuilder().setMode("metal"))).build());
            reply.onCompleted();
        }

        /** One event, then a stream that stays open and quiet, as a node's does between events. */
        @Override
        public void events(EventsRequest request, StreamObserver<Event> reply) {
            reply.onNext(Event.newBuilder().setId("first").build());
        }

        @Override
        public void applyConfiguration(ApplyConfigurationRequest request,
                StreamObserver<ApplyConfigurationResponse> reply) {
            configurationsApplied.incrementAndGet();
            reply.onNext(ApplyConfigurationResponse.newBuilder()
                    .addMessages(ApplyConfiguration.newBuilder().setMode(request.getMode())).build());
            reply.onCompleted();
        }
    }
}
