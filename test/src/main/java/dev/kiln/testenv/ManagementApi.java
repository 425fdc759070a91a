package dev.kiln.testenv;

import dev.kiln.testenv.capi.CapiCoreCrds;
import dev.kiln.testenv.capi.CapiCoreStandIn;
import dev.kiln.testenv.capi.OwnerCollector;
import dev.kiln.testenv.rbac.OperatorRequestLog;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;

/**
 * The management cluster of the local environment, all in this JVM (test support, never shipped): fabric8's mock
 * server in CRUD mode over HTTPS on loopback (plus the scale subresource) with Kiln's CRDs and stand-in CRDs of Cluster
 * API core's kinds registered, and the Cluster API core stand-in running on
 * a JOSDK operator against it (server-side apply off, the mock lacks it), plus the stand-in's owner collector (the
 * mock has no garbage collection).
 */
public final class ManagementApi implements AutoCloseable {

    /** The bearer token of {@link #writeKubeconfig} kubeconfigs; it tells the operator's requests from the stand-ins'. */
    public static final String OPERATOR_TOKEN = "kiln-operator";
    /** The bearer token of {@link #writeUserKubeconfig} kubeconfigs: a person's kubectl, never counted as the operator. */
    public static final String USER_TOKEN = "kiln-user";

    private static final java.util.logging.Logger QUIET =
            java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    private final KubernetesMockServer server;
    private final Tripwires tripwires;
    private final KubernetesClient client;
    private final Operator operator;
    private final OwnerCollector collector;
    private final OperatorRequestLog operatorRequests;

    private ManagementApi(KubernetesMockServer server, Tripwires tripwires, KubernetesClient client,
            Operator operator, OwnerCollector collector, OperatorRequestLog operatorRequests) {
        this.server = server;
        this.tripwires = tripwires;
        this.client = client;
        this.operator = operator;
        this.collector = collector;
        this.operatorRequests = operatorRequests;
    }

    /** Starts on 127.0.0.1 and {@code port} (0: an ephemeral port). */
    public static ManagementApi start(int port) {
        // the mock logs every request at INFO through java.util.logging
        QUIET.setLevel(java.util.logging.Level.WARNING);
        ScaleSubresourceDispatcher dispatcher = new ScaleSubresourceDispatcher();
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                dispatcher, true);
        server.init(InetAddress.getLoopbackAddress(), port);
        KubernetesClient client = null;
        Operator operator = null;
        try {
            client = server.createClient();
            KilnCrds.install(client);
            CapiCoreCrds.install(client);
            KubernetesClient operatorClient = client;
            operator = new Operator(o -> o.withKubernetesClient(operatorClient)
                    .withUseSSAToPatchPrimaryResource(false)
                    .withSSABasedCreateUpdateMatchForDependentResources(false)
                    .withCloseClientOnStop(false));
            for (Reconciler<?> reconciler : CapiCoreStandIn.reconcilers(client)) {
                register(operator, reconciler);
            }
            operator.start();
            OwnerCollector collector = new OwnerCollector(client).start();
            return new ManagementApi(server, dispatcher.tripwires(), client, operator, collector,
                    OperatorRequestLog.start(server, OPERATOR_TOKEN));
        } catch (RuntimeException e) {
            if (operator != null) {
                operator.stop();
            }
            if (client != null) {
                client.close();
            }
            server.destroy();
            throw e;
        }
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static void register(Operator operator, Reconciler reconciler) {
        operator.register(reconciler);
    }

    /** The API server URL, e.g. {@code https://127.0.0.1:PORT/}. Its certificate is self-signed. */
    public String url() {
        return client.getConfiguration().getMasterUrl();
    }

    /** Faults armed on requests this API serves. */
    public Tripwires tripwires() {
        return tripwires;
    }

    /** Every request made with a {@link #writeKubeconfig} kubeconfig, as RBAC sees it. */
    public OperatorRequestLog operatorRequests() {
        return operatorRequests;
    }

    /** A client of this API in this JVM (trusts the mock's certificate). */
    public KubernetesClient client() {
        return client;
    }

    /**
     * Writes a kubeconfig for other processes (the operator): this URL, namespace default, and
     * insecure-skip-tls-verify, since the mock's certificate is self-signed and made up at every start.
     */
    public Path writeKubeconfig(Path file) {
        return writeKubeconfig(file, OPERATOR_TOKEN);
    }

    /** Like {@link #writeKubeconfig(Path)}, for an operator whose requests are recorded apart under {@code account}. */
    public Path writeKubeconfig(Path file, OperatorAccount account) {
        return writeKubeconfig(file, OPERATOR_TOKEN + "-" + account.name());
    }

    /** A kubeconfig for kubectl (hack/kubectl), like {@link #writeKubeconfig} but with {@link #USER_TOKEN}. */
    public Path writeUserKubeconfig(Path file) {
        return writeKubeconfig(file, USER_TOKEN);
    }

    private Path writeKubeconfig(Path file, String token) {
        String yaml = """
                apiVersion: v1
                kind: Config
                clusters:
                - name: kiln-local
                  cluster:
                    server: %s
                    insecure-skip-tls-verify: true
                users:
                - name: kiln-local
                  user:
                    token: %s
                contexts:
                - name: kiln-local
                  context:
                    cluster: kiln-local
                    user: kiln-local
                    namespace: default
                current-context: kiln-local
                """.formatted(url(), token);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    @Override
    public void close() {
        operatorRequests.close();
        try {
            collector.close();
        } finally {
            try {
                operator.stop();
            } finally {
                try {
                    client.close();
                } finally {
                    server.destroy();
                }
            }
        }
    }
}
