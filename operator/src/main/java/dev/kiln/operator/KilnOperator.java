package dev.kiln.operator;

import dev.kiln.capi.KilnReconcilers;
import dev.kiln.capi.ProviderType;
import dev.kiln.capi.cluster.ReconcilerDependencies;
import dev.kiln.capi.informers.SharedInformers;
import dev.kiln.capi.node.GrpcNodeConnector;
import dev.kiln.capi.node.events.GrpcNodeEventFeed;
import dev.kiln.capi.node.events.NodeEventStreams;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kiln operator process: every reconciler of Kiln's providers on one JOSDK operator, with health and metrics
 * endpoints. {@code java -jar kiln-operator.jar --help} lists the flags.
 */
public final class KilnOperator {

    private static final Logger log = LoggerFactory.getLogger(KilnOperator.class);

    // A node that has not answered a machine API call in this long is treated as unavailable for this pass.
    static final Duration NODE_API_DEADLINE = Duration.ofSeconds(15);

    static final int EXIT_BAD_SETTINGS = 2;
    static final int EXIT_FAILED = 1;

    private final OperatorSettings settings;
    private final KubernetesClient client;
    private final boolean ownsClient;
    private final Operator operator;
    private final HealthServer endpoints;
    private final JosdkHealth health;
    private final PrometheusMeterRegistry registry;
    private final AtomicBoolean stopping;
    private final GrpcNodeConnector nodes;
    private final CountDownLatch stopped = new CountDownLatch(1);

    private KilnOperator(OperatorSettings settings, KubernetesClient client, boolean ownsClient, Operator operator,
            HealthServer endpoints, JosdkHealth health, PrometheusMeterRegistry registry, AtomicBoolean stopping,
            GrpcNodeConnector nodes) {
        this.settings = settings;
        this.client = client;
        this.ownsClient = ownsClient;
        this.operator = operator;
        this.endpoints = endpoints;
        this.health = health;
        this.registry = registry;
        this.stopping = stopping;
        this.nodes = nodes;
    }

    public static void main(String[] args) {
        OperatorSettings settings;
        KilnOperator kiln;
        try {
            SettingsParser.Outcome outcome = new SettingsParser(System.getenv()).parse(args);
            if (outcome instanceof SettingsParser.Help help) {
                System.out.print(help.usage());
                return;
            }
            settings = ((SettingsParser.Run) outcome).settings();
            kiln = create(settings, KubernetesClients.create(settings), true, () -> System.exit(EXIT_FAILED));
        } catch (SettingsException e) {
            System.err.println("kiln-operator: " + e.getMessage());
            System.err.println("Run kiln-operator --help for the flags.");
            System.exit(EXIT_BAD_SETTINGS);
            return;
        } catch (RuntimeException e) {
            log.error("Kiln operator could not be set up: {}", e.getMessage(), e);
            System.exit(EXIT_FAILED);
            return;
        }
        // Installed before start: a SIGTERM while the informers sync still stops everything cleanly.
        Runtime.getRuntime().addShutdownHook(new Thread(kiln::stop, "kiln-shutdown"));
        try {
            kiln.start();
        } catch (RuntimeException e) {
            log.error("Kiln operator could not start: {}", e.getMessage(), e);
            System.exit(EXIT_FAILED);
        }
        kiln.awaitStop();
    }

    /**
     * Builds the operator, opens the endpoints and registers every reconciler, without starting to reconcile.
     *
     * @param ownsClient whether stopping closes the client
     * @param exit ends the process; used when this replica loses its Lease
     */
    public static KilnOperator create(OperatorSettings settings, KubernetesClient client, boolean ownsClient,
            Runnable exit) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().meterFilter(new ReconcileHistograms());
        JosdkHealth health = new JosdkHealth();
        AtomicBoolean stopping = new AtomicBoolean();
        Operator operator = OperatorWiring.operator(settings, client, ownsClient, registry, health, stopping::get,
                exit);
        GrpcNodeConnector nodes = new GrpcNodeConnector(NODE_API_DEADLINE);
        ReconcilerDependencies dependencies = new ReconcilerDependencies(client,
                nodes, new MicrometerKilnMetrics(registry), settings.identity(),
                Clock.systemUTC(), settings.unreachableNodeGrace(), new NodeEventStreams(new GrpcNodeEventFeed(nodes)),
                new SharedInformers(client, health::onStop));
        OperatorWiring.register(operator, KilnReconcilers.create(dependencies, settings.providers()), settings);
        health.watch(operator);
        HealthServer endpoints = HealthServer.start(settings.healthPort(), settings.metricsPort(), health,
                registry::scrape);
        return new KilnOperator(settings, client, ownsClient, operator, endpoints, health, registry, stopping, nodes);
    }

    /** Starts reconciling; returns once every informer has synced (and, with leader election, the Lease is sought). */
    public void start() {
        log.info("Starting Kiln operator {}: watching {}{}, leader election {}, server-side apply {}, "
                        + "health on :{}, metrics on :{}, {} controllers for {}",
                settings.identity(),
                settings.watchNamespace().map(ns -> "namespace " + ns).orElse("all namespaces"),
                settings.watchFilterSelector().map(selector -> " (only objects labelled " + selector + ")").orElse(""),
                settings.leaderElection() ? "on (Lease " + settings.leaseName() + ")" : "off",
                settings.ssa() ? "on" : "off",
                endpoints.healthPort(), endpoints.metricsPort(), operator.getRegisteredControllersNumber(),
                settings.providers().stream().sorted().map(ProviderType::flagName).toList());
        operator.start();
        log.info("Kiln operator started; informers synced");
    }

    /** Stops reconciling, then the endpoints; safe to call more than once and from a shutdown hook. */
    public void stop() {
        if (!stopping.compareAndSet(false, true)) {
            return;
        }
        health.stopping();
        log.info("Stopping Kiln operator {}", settings.identity());
        try {
            operator.stop();
            releaseLease();
        } catch (RuntimeException e) {
            log.warn("Operator did not stop cleanly: {}", e.getMessage(), e);
        } finally {
            nodes.close();
            if (ownsClient) {
                client.close();
            }
            endpoints.close();
            registry.close();
            stopped.countDown();
            log.info("Kiln operator stopped");
        }
    }

    /** After the reconcilers stopped: a standby need not wait for the Lease to expire. */
    private void releaseLease() {
        if (!settings.leaderElection()) {
            return;
        }
        String namespace = LeaderElection.namespace(settings, client.getNamespace());
        LeaseRelease.Outcome outcome = LeaseRelease.release(client, namespace, settings.leaseName(),
                settings.identity());
        if (outcome instanceof LeaseRelease.Released released) {
            log.info("Released the Lease {}/{} as {}", released.namespace(), released.name(), settings.identity());
        } else if (outcome instanceof LeaseRelease.NotHeld notHeld) {
            log.info("Lease {}/{} not held by {} (holder: {}); nothing to release", namespace, settings.leaseName(),
                    settings.identity(), notHeld.holder().isEmpty() ? "none" : notHeld.holder());
        } else if (outcome instanceof LeaseRelease.Failed failed) {
            log.warn("Could not release the Lease {}/{}: {}; it expires on its own", namespace, settings.leaseName(),
                    failed.reason());
        }
    }

    /** Blocks until {@link #stop()} has finished. */
    public void awaitStop() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public Operator operator() {
        return operator;
    }

    public OperatorHealth health() {
        return health;
    }

    public int healthPort() {
        return endpoints.healthPort();
    }

    public int metricsPort() {
        return endpoints.metricsPort();
    }
}
