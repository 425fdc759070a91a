package dev.kiln.node.trust;

import dev.kiln.machinery.pki.CertificateAuthority;
import dev.kiln.machinery.pki.CertificateRequest;
import dev.kiln.machinery.pki.IssuedCertificate;
import dev.kiln.node.api.ApiTls;
import dev.kiln.node.supervisor.Health;
import dev.kiln.node.supervisor.Service;
import dev.kiln.node.supervisor.ServiceContext;
import dev.kiln.machinery.client.TlsMaterial;
import dev.kiln.node.grpc.NettyTls;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The certificate service of a control-plane node (Talos's trustd): server-only TLS with a certificate from the
 * machine CA, callers authenticated by {@code machine.token}, CSRs signed as machine API server certificates.
 */
public final class TrustdService implements Service {

    static final int MAX_MESSAGE_BYTES = 64 * 1024;
    static final int MAX_CONCURRENT_CALLS_PER_CONNECTION = 4;

    /** What the service needs from the node's config. */
    public record Settings(InetSocketAddress listen, CertificateAuthority machineCa, String machineToken,
            String hostname, List<String> serverNames) {
    }

    private final Settings settings;
    private final RequestBudget budget;
    private volatile Server server;

    public TrustdService(Settings settings) {
        this.settings = settings;
        this.budget = new RequestBudget(60, Duration.ofSeconds(10), Clock.systemUTC());
    }

    @Override
    public String id() {
        return "trustd";
    }

    @Override
    public void start(ServiceContext ctx) throws Exception {
        // The worker reaches this service through cluster.controlPlane.endpoint's host, so that host is among the names.
        ApiTls.ServerNames names = ApiTls.serverNames(settings.hostname(), settings.listen().getHostString(),
                settings.serverNames());
        IssuedCertificate serving = settings.machineCa().issue(CertificateRequest.server(names.commonName(),
                names.dnsNames(), names.ipAddresses(), Duration.ofDays(365)));
        var tls = NettyTls.server(TlsMaterial.keys(serving.chainPem(), serving.keyPem()), Optional.empty());
        CertificateSigning signing = new CertificateSigning(settings.machineCa(), budget,
                message -> ctx.log().append("[kiln] " + message));
        server = NettyServerBuilder.forAddress(settings.listen())
                .sslContext(tls)
                .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                .maxInboundMetadataSize(8 * 1024)
                .maxConcurrentCallsPerConnection(MAX_CONCURRENT_CALLS_PER_CONNECTION)
                .addService(ServerInterceptors.intercept(signing, new TokenCheck(settings.machineToken())))
                .build()
                .start();
        ctx.log().append("[kiln] certificate service listening on " + settings.listen().getHostString() + ":"
                + server.getPort() + " (server TLS, machine.token)");
    }

    @Override
    public void stop() throws Exception {
        Server running = server;
        server = null;
        if (running != null) {
            running.shutdown();
            if (!running.awaitTermination(3, TimeUnit.SECONDS)) {
                running.shutdownNow();
            }
        }
    }

    @Override
    public Health health() {
        Server running = server;
        return running == null ? Health.unknown("not listening")
                : Health.healthy("signing machine API server certificates on " + settings.listen().getHostString()
                        + ":" + running.getPort());
    }

    @Override
    public boolean isRunning() {
        Server running = server;
        return running != null && !running.isShutdown();
    }
}
