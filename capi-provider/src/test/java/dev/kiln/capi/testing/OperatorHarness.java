package dev.kiln.capi.testing;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * JOSDK running reconcilers against fabric8's CRUD mock server, which stands in for a kube-apiserver here. Server-side
 * apply is off because the mock does not implement it.
 */
public final class OperatorHarness implements AutoCloseable {

    private final KubernetesClient client;
    private final Operator operator;

    private OperatorHarness(KubernetesClient client, Operator operator) {
        this.client = client;
        this.operator = operator;
    }

    public static OperatorHarness start(KubernetesClient client, List<Reconciler<?>> reconcilers) {
        Operator operator = new Operator(overrider -> overrider
                .withKubernetesClient(client)
                .withUseSSAToPatchPrimaryResource(false)
                .withSSABasedCreateUpdateMatchForDependentResources(false)
                .withCloseClientOnStop(false)
                .withStopOnInformerErrorDuringStartup(true));
        for (Reconciler<?> reconciler : reconcilers) {
            register(operator, reconciler);
        }
        operator.start();
        return new OperatorHarness(client, operator);
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static void register(Operator operator, Reconciler reconciler) {
        operator.register(reconciler);
    }

    public KubernetesClient client() {
        return client;
    }

    /** Waits until the object exists and satisfies {@code condition}; fails naming what it waited for. */
    public <T extends HasMetadata> T await(Class<T> type, String namespace, String name, String what,
            Predicate<T> condition) throws InterruptedException {
        return await(type, namespace, name, what, condition, Duration.ofSeconds(20));
    }

    public <T extends HasMetadata> T await(Class<T> type, String namespace, String name, String what,
            Predicate<T> condition, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        T last = null;
        while (System.nanoTime() < deadline) {
            last = client.resources(type).inNamespace(namespace).withName(name).get();
            if (last != null && condition.test(last)) {
                return last;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("timed out waiting for " + type.getSimpleName() + " " + namespace + "/" + name
                + ": " + what + "; last seen: " + Optional.ofNullable(last).map(Object::toString).orElse("absent"));
    }

    @Override
    public void close() {
        operator.stop();
    }
}
