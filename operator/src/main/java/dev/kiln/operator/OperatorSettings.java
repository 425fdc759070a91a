package dev.kiln.operator;

import dev.kiln.capi.ProviderType;
import dev.kiln.capi.infrastructure.KilnMachineReconciler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * How this operator process runs. Each setting comes from its flag, else its environment variable, else a default;
 * see {@link SettingsParser} for the flags and README "Running the operator" for the table.
 *
 * @param watchNamespace the one namespace to watch; empty watches all namespaces
 * @param leaderElection whether replicas elect a leader through a Lease before reconciling
 * @param leaseNamespace namespace of the Lease; empty means the client's namespace (in a pod: its own)
 * @param leaseName name of the Lease
 * @param ssa whether JOSDK patches with server-side apply (off against fabric8's mock server, which lacks it)
 * @param metricsPort port of /metrics (0 picks a free one)
 * @param healthPort port of /healthz and /readyz (0 picks a free one)
 * @param identity who this replica is in the Lease and in the reconcilers' records
 * @param kubeconfig kubeconfig file; empty leaves it to fabric8 (KUBECONFIG, ~/.kube/config, in-cluster account)
 * @param masterUrl API server URL overriding the kubeconfig's
 * @param providers whose reconcilers run: all three by default, one per process when clusterctl installs them
 * @param unreachableNodeGrace how long a deleted machine waits for a node that answers nothing before its server is
 *     let go unwiped (marked not clean)
 * @param watchFilter when set, only objects labelled {@code cluster.x-k8s.io/watch-filter} with this value are
 *     reconciled, as Cluster API providers do
 */
public record OperatorSettings(
        Optional<String> watchNamespace,
        boolean leaderElection,
        Optional<String> leaseNamespace,
        String leaseName,
        boolean ssa,
        int metricsPort,
        int healthPort,
        String identity,
        Optional<Path> kubeconfig,
        Optional<String> masterUrl,
        Set<ProviderType> providers,
        Duration unreachableNodeGrace,
        Optional<String> watchFilter) {

    public static final String WATCH_FILTER_LABEL = "cluster.x-k8s.io/watch-filter";

    public static final String DEFAULT_LEASE_NAME = "kiln-operator";
    public static final int DEFAULT_METRICS_PORT = 8080;
    public static final int DEFAULT_HEALTH_PORT = 8081;
    public static final Duration DEFAULT_UNREACHABLE_NODE_GRACE = KilnMachineReconciler.UNREACHABLE_GIVE_UP;

    public OperatorSettings {
        providers = Set.copyOf(providers);
    }

    /** Settings running every provider's reconcilers. */
    public OperatorSettings(Optional<String> watchNamespace, boolean leaderElection, Optional<String> leaseNamespace,
            String leaseName, boolean ssa, int metricsPort, int healthPort, String identity,
            Optional<Path> kubeconfig, Optional<String> masterUrl) {
        this(watchNamespace, leaderElection, leaseNamespace, leaseName, ssa, metricsPort, healthPort, identity,
                kubeconfig, masterUrl, EnumSet.allOf(ProviderType.class));
    }

    /** Settings with the default wait for unreachable nodes. */
    public OperatorSettings(Optional<String> watchNamespace, boolean leaderElection, Optional<String> leaseNamespace,
            String leaseName, boolean ssa, int metricsPort, int healthPort, String identity,
            Optional<Path> kubeconfig, Optional<String> masterUrl, Set<ProviderType> providers) {
        this(watchNamespace, leaderElection, leaseNamespace, leaseName, ssa, metricsPort, healthPort, identity,
                kubeconfig, masterUrl, providers, DEFAULT_UNREACHABLE_NODE_GRACE, Optional.empty());
    }

    /** The label selector every reconciler's informer uses; empty without a watch filter. */
    public Optional<String> watchFilterSelector() {
        return watchFilter.map(value -> WATCH_FILTER_LABEL + "=" + value);
    }

    public boolean watchesAllNamespaces() {
        return watchNamespace.isEmpty();
    }
}
