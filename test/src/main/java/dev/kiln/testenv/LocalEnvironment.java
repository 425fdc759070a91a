package dev.kiln.testenv;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntFunction;

/**
 * The whole local environment on loopback (test support): the management API with the Cluster API core stand-in in
 * this JVM, the operator as its own process, and N machines as node-init processes registered as KilnServers.
 * Everything stops on {@link #close()} and, should this JVM end first, from a shutdown hook.
 */
public final class LocalEnvironment implements AutoCloseable {

    public static final String NAMESPACE = "default";

    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread hook = new Thread(this::stopAll, "kiln-local-environment-cleanup");
    private volatile ManagementApi api;
    private final List<OperatorProcess> operators = new CopyOnWriteArrayList<>();
    private volatile Path repo;
    private volatile Path workDir;
    private volatile Path kubeconfig;
    private volatile Machines machines;
    private final List<Management> otherManagements = new CopyOnWriteArrayList<>();

    /** Another management cluster of this environment: its API (with its own Cluster API stand-in) and kubeconfig. */
    public record Management(ManagementApi api, Path kubeconfig) {
    }

    private LocalEnvironment() {
    }

    /**
     * @param repo the repository's top folder (jars under its modules' target/, CRDs under crds/, hack/node-init)
     * @param workDir where machine roots, consoles, the operator log and its API request log go
     * @param subnet the machines' loopback /24 prefix, e.g. {@code 127.0.50}
     * @param serverLabels labels of the KilnServer for machine i (1-based), for the templates' serverSelector
     */
    public static LocalEnvironment start(Path repo, Path workDir, String subnet, int machineCount,
            IntFunction<Map<String, String>> serverLabels, Map<String, String> operatorEnvironment) {
        return start(repo, workDir, subnet, machineCount, serverLabels, operatorEnvironment, Optional.empty());
    }

    /** As above, with the first operator's requests recorded apart under {@code firstOperator}'s account. */
    public static LocalEnvironment start(Path repo, Path workDir, String subnet, int machineCount,
            IntFunction<Map<String, String>> serverLabels, Map<String, String> operatorEnvironment,
            Optional<OperatorAccount> firstOperator) {
        return start(repo, workDir, subnet, machineCount, serverLabels, operatorEnvironment, firstOperator,
                List.of());
    }

    /** As above, every machine's node-init also given {@code nodeArgs}. */
    public static LocalEnvironment start(Path repo, Path workDir, String subnet, int machineCount,
            IntFunction<Map<String, String>> serverLabels, Map<String, String> operatorEnvironment,
            Optional<OperatorAccount> firstOperator, List<String> nodeArgs) {
        LocalEnvironment env = new LocalEnvironment();
        Runtime.getRuntime().addShutdownHook(env.hook);
        try {
            System.setProperty("kiln.crds.dir", repo.resolve("crds").toString());
            env.api = ManagementApi.start(0);
            env.repo = repo;
            env.workDir = workDir;
            env.kubeconfig = env.api.writeKubeconfig(workDir.resolve("management.kubeconfig"));
            NeighbourCluster.create(env.api.client());
            env.machines = Machines.start(repo, workDir.resolve("machines"), subnet, machineCount, env.api.client(),
                    NAMESPACE, serverLabels, nodeArgs);
            Path operatorKubeconfig = firstOperator.map(account -> env.api.writeKubeconfig(
                    workDir.resolve("management." + account.name() + ".kubeconfig"), account)).orElse(env.kubeconfig);
            env.operators.add(OperatorProcess.start(repo, operatorKubeconfig, env.api.url(),
                    workDir.resolve("operator.log"), operatorEnvironment));
            return env;
        } catch (RuntimeException | Error e) {
            env.close();
            throw e;
        }
    }

    public ManagementApi api() {
        return api;
    }

    public KubernetesClient client() {
        return api.client();
    }

    /** The operator started last. */
    public OperatorProcess operator() {
        return operators.get(operators.size() - 1);
    }

    public Machines machines() {
        return machines;
    }

    /**
     * Starts another operator process (after a crash, or a second replica next to the first), logging to {@code log};
     * every operator started is stopped with the environment.
     */
    public OperatorProcess startOperator(Path log, Map<String, String> environment) {
        return startOperator(new Management(api, kubeconfig), log, environment);
    }

    /**
     * Starts a second management cluster next to the first (e.g. the target of a move), with the neighbour cluster
     * of another provider and no operator yet; it is stopped with the environment.
     */
    public Management startManagement(String name) {
        ManagementApi other = ManagementApi.start(0);
        Management management = new Management(other, other.writeKubeconfig(workDir.resolve(name + ".kubeconfig")));
        otherManagements.add(management);
        NeighbourCluster.create(other.client());
        return management;
    }

    /** Starts an operator process against {@code management}; it is stopped with the environment. */
    public OperatorProcess startOperator(Management management, Path log, Map<String, String> environment) {
        OperatorProcess operator = OperatorProcess.start(repo, management.kubeconfig(), management.api().url(), log,
                environment);
        operators.add(operator);
        return operator;
    }

    /** Like {@link #startOperator(Path, Map)}, with its management API requests recorded apart under {@code account}. */
    public OperatorProcess startOperator(Path log, Map<String, String> environment, OperatorAccount account) {
        OperatorProcess operator = OperatorProcess.start(repo, api.writeKubeconfig(
                workDir.resolve("management." + account.name() + ".kubeconfig"), account), api.url(), log, environment);
        operators.add(operator);
        return operator;
    }

    private void stopAll() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            for (OperatorProcess operator : operators) {
                operator.close();
            }
        } catch (RuntimeException e) {
            // keep stopping the rest
        }
        try {
            if (machines != null) {
                machines.close();
            }
        } catch (RuntimeException e) {
            // keep stopping the rest
        }
        for (Management other : otherManagements) {
            try {
                other.api().close();
            } catch (RuntimeException e) {
                // keep stopping the rest
            }
        }
        if (api != null) {
            try {
                api.close();
            } finally {
                // read by the RBAC checks of the chart (ChartRbacIT) and of each provider (ProviderRbacIT)
                api.operatorRequests().write(workDir);
            }
        }
    }

    @Override
    public void close() {
        stopAll();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook is running or ran
        }
    }
}
