package dev.kiln.operator;

import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Lease that lets only one replica reconcile. A replica that loses the Lease exits at once (another may already
 * be reconciling), except while it is stopping anyway: JOSDK 5.2.3 would call System.exit from inside our shutdown
 * hook there and deadlock the JVM (java-operator-sdk#1614, #3376), so Kiln takes the exit over from JOSDK.
 */
final class LeaderElection {

    private static final Logger log = LoggerFactory.getLogger(LeaderElection.class);

    private LeaderElection() {
    }

    /**
     * @param clientNamespace the client's namespace (the pod's own in a cluster), used when no Lease namespace is set
     * @param stopping whether the process is already shutting down
     * @param exit ends the process; called on a thread of its own
     */
    static LeaderElectionConfiguration configuration(OperatorSettings settings, String clientNamespace,
            BooleanSupplier stopping, Runnable exit) {
        String namespace = namespace(settings, clientNamespace);
        String identity = settings.identity();
        LeaderCallbacks callbacks = new LeaderCallbacks(
                () -> log.info("Leading as {} (Lease {}/{}): reconciling", identity, namespace, settings.leaseName()),
                () -> lostLease(identity, stopping, exit),
                leader -> log.info("Lease {}/{} is held by {}", namespace, settings.leaseName(), leader));
        return new LeaderElectionConfiguration(settings.leaseName(), namespace,
                LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
                LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
                LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE,
                identity, callbacks, false);
    }

    /** The Lease's namespace: the one set, else the client's (in a pod, its own). */
    static String namespace(OperatorSettings settings, String clientNamespace) {
        String namespace = settings.leaseNamespace().orElse(clientNamespace);
        if (namespace == null || namespace.isBlank()) {
            throw new SettingsException("--leader-election-namespace: not set, and the Kubernetes client has no "
                    + "namespace to use instead; set it, or run with --leader-election off");
        }
        return namespace;
    }

    private static void lostLease(String identity, BooleanSupplier stopping, Runnable exit) {
        if (stopping.getAsBoolean()) {
            log.info("Stopped leading as {} while stopping", identity);
            return;
        }
        log.error("Lost the Lease as {}; exiting so that only the new leader reconciles", identity);
        // Not on this thread: System.exit waits for the shutdown hook, which waits for JOSDK's executors, this one too.
        Thread exiting = new Thread(exit, "kiln-lost-lease");
        exiting.start();
    }
}
