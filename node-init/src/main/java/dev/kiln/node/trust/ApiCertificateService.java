package dev.kiln.node.trust;

import dev.kiln.machinery.pki.EcKeys;
import dev.kiln.machinery.pki.Pem;
import dev.kiln.machinery.trust.ServerCsr;
import dev.kiln.node.api.ApiTls;
import dev.kiln.node.api.ServingKeys;
import dev.kiln.node.disk.DiskLayout;
import dev.kiln.node.supervisor.EventLog;
import dev.kiln.node.supervisor.Health;
import dev.kiln.node.supervisor.Service;
import dev.kiln.node.supervisor.ServiceContext;
import dev.kiln.node.supervisor.ServiceEvent;
import dev.kiln.node.supervisor.ServiceState;
import io.grpc.StatusRuntimeException;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A worker without the machine CA key: asks the control plane's certificate service for its machine API certificate,
 * again with backoff while that fails, puts it in the listener's {@link ServingKeys} and stores it, then renews it
 * at half its lifetime. Each new reason for a failure is an event; the current one is the service's health.
 */
public final class ApiCertificateService implements Service {

    public static final String ID = "machine-api-certificate";
    static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    static final Duration MAX_RETRY = Duration.ofSeconds(30);
    static final Duration CALL_DEADLINE = Duration.ofSeconds(10);

    /** Where to ask and what to ask for. */
    public record Settings(String trustdHost, int trustdPort, String machineCaPem, String machineToken,
            ApiTls.ServerNames names) {
    }

    private final Settings settings;
    private final ServingKeys keys;
    private final DiskLayout disk;
    private final EventLog events;
    private final Clock clock = Clock.systemUTC();
    private volatile Optional<IssuedServerCertificate> current;
    private volatile Health health = Health.unknown("not started");
    private volatile ScheduledExecutorService timer;
    private Duration retry = FIRST_RETRY;
    private String lastFailure;
    private ServiceContext ctx;

    /** {@code stored} is the certificate {@code keys} serves already, if the node had a valid one on disk. */
    public ApiCertificateService(Settings settings, ServingKeys keys, Optional<IssuedServerCertificate> stored,
            DiskLayout disk, EventLog events) {
        this.settings = settings;
        this.keys = keys;
        this.current = stored;
        this.disk = disk;
        this.events = events;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public void start(ServiceContext context) {
        ctx = context;
        timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, ID);
            thread.setDaemon(true);
            return thread;
        });
        Instant now = clock.instant();
        Optional<IssuedServerCertificate> stored = current.filter(c -> c.validAt(now));
        if (stored.isPresent() && stored.get().names(settings.names().dnsNames(), settings.names().ipAddresses())) {
            health = Health.healthy(serving(stored.get()));
            schedule(Duration.between(now, stored.get().renewAt()));
        } else if (stored.isPresent()) {
            // Served meanwhile, but the node's address, hostname or certSANs changed since it was issued.
            health = Health.healthy(serving(stored.get()) + "; asking for one with the node's current names");
            schedule(Duration.ZERO);
        } else {
            health = Health.unhealthy("no certificate yet: asking the certificate service at " + target());
            schedule(Duration.ZERO);
        }
    }

    private String target() {
        return settings.trustdHost() + ":" + settings.trustdPort();
    }

    private String serving(IssuedServerCertificate certificate) {
        return "serving a certificate from the certificate service at " + target() + ", valid until "
                + certificate.notAfter() + ", renewed from " + certificate.renewAt();
    }

    private void schedule(Duration delay) {
        ScheduledExecutorService running = timer;
        if (running != null && !running.isShutdown()) {
            running.schedule(this::attempt, Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
        }
    }

    private void attempt() {
        try {
            KeyPair keyPair = EcKeys.generate();
            byte[] csr = ServerCsr.pem(keyPair, settings.names().commonName(), settings.names().dnsNames(),
                    settings.names().ipAddresses());
            String certificatePem = CertificateRequester.request(settings.trustdHost(), settings.trustdPort(),
                    settings.machineCaPem(), settings.machineToken(), csr, CALL_DEADLINE);
            String keyPem = Pem.encodePrivateKey(keyPair.getPrivate());
            IssuedServerCertificate issued = IssuedServerCertificate.verified(certificatePem, keyPem,
                    settings.machineCaPem());
            issued.store(disk);
            keys.replace(certificatePem, keyPem);
            current = Optional.of(issued);
            retry = FIRST_RETRY;
            lastFailure = null;
            health = Health.healthy(serving(issued));
            report("certificate issued by the certificate service at " + target() + ", valid until "
                    + issued.notAfter());
            schedule(Duration.between(clock.instant(), issued.renewAt()));
        } catch (StatusRuntimeException e) {
            failed(e.getStatus().getCode() + (e.getStatus().getDescription() == null ? ""
                    : ": " + e.getStatus().getDescription()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            failed(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
    }

    private void failed(String reason) {
        Duration wait = retry;
        retry = retry.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : retry.multipliedBy(2);
        Optional<IssuedServerCertificate> still = current.filter(c -> c.validAt(clock.instant()));
        String message = "asking the certificate service at " + target() + " failed: " + reason + "; retrying in "
                + wait.toSeconds() + " s";
        health = still.isPresent() ? Health.healthy(serving(still.get()) + "; renewal: " + message)
                : Health.unhealthy("no certificate yet: " + message);
        if (!reason.equals(lastFailure)) {
            lastFailure = reason;
            report(health.message());
        }
        schedule(wait);
    }

    private void report(String message) {
        ServiceContext context = ctx;
        if (context != null) {
            context.log().append("[kiln] " + message);
        }
        events.append(new ServiceEvent(ID, ServiceState.RUNNING, message, clock.instant(), health));
    }

    @Override
    public void stop() throws InterruptedException {
        ScheduledExecutorService running = timer;
        timer = null;
        if (running != null) {
            running.shutdownNow();
            running.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Override
    public Health health() {
        return health;
    }

    @Override
    public boolean isRunning() {
        ScheduledExecutorService running = timer;
        return running != null && !running.isShutdown();
    }
}
