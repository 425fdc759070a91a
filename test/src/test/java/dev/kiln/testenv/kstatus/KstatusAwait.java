package dev.kiln.testenv.kstatus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.capi.api.bootstrap.v1alpha1.KilnConfig;
import dev.kiln.capi.api.controlplane.v1alpha1.KilnControlPlane;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnCluster;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachine;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnServer;
import dev.kiln.testenv.kstatus.Kstatus.Status;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Waits until Kiln objects read as a given kstatus, the way a GitOps tool polling them would see it, and checks each
 * time that the Argo CD health script of the kind says the same.
 */
public final class KstatusAwait {

    private static final Duration POLL = Duration.ofMillis(200);
    private static final String CLUSTER_NAME = "cluster.x-k8s.io/cluster-name";

    private KstatusAwait() {
    }

    /** @return the object as it was when it first read {@code expected} */
    public static GenericKubernetesResource await(KubernetesClient client, Class<? extends HasMetadata> kind,
            String namespace, String name, Status expected, Duration within) throws InterruptedException {
        return awaitObject(client, kind, namespace, name, r -> Kstatus.compute(r).status() == expected,
                "kstatus " + expected, within);
    }

    /** Waits for a condition of the given type, status and reason, e.g. Paused True. */
    public static GenericKubernetesResource awaitCondition(KubernetesClient client, Class<? extends HasMetadata> kind,
            String namespace, String name, String type, String status, Duration within) throws InterruptedException {
        return awaitObject(client, kind, namespace, name, r -> Kstatus.conditions(r).stream()
                .anyMatch(c -> type.equals(c.get("type")) && status.equals(c.get("status"))),
                type + "=" + status, within);
    }

    /** Waits until every object of the kind that {@code which} selects (at least one) reads {@code expected}. */
    public static List<GenericKubernetesResource> awaitEach(KubernetesClient client,
            Class<? extends HasMetadata> kind, String namespace, Predicate<GenericKubernetesResource> which,
            Status expected, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        List<GenericKubernetesResource> selected = List.of();
        while (true) {
            selected = client.genericKubernetesResources(ResourceDefinitionContext.fromResourceType(kind))
                    .inNamespace(namespace).list().getItems().stream().filter(which).toList();
            if (!selected.isEmpty() && selected.stream().allMatch(r -> Kstatus.compute(r).status() == expected)) {
                selected.forEach(KstatusAwait::assertArgoAgrees);
                return selected;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for every selected " + kind.getSimpleName() + " to be "
                        + expected + ": " + selected.stream().collect(Collectors.toMap(
                                r -> r.getMetadata().getName(), KstatusAwait::describe)));
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    /**
     * Waits until a formed cluster reads Current everywhere: its KilnControlPlane (named after the cluster) and all
     * that {@link #awaitMachinesCurrent} waits for.
     */
    public static void awaitClusterCurrent(KubernetesClient client, String namespace, String cluster, Duration within)
            throws InterruptedException {
        await(client, KilnControlPlane.class, namespace, cluster, Status.CURRENT, within);
        awaitMachinesCurrent(client, namespace, cluster, within);
    }

    /** Its KilnCluster (named after the cluster), each of its KilnMachines and KilnConfigs, each KilnServer in use. */
    public static void awaitMachinesCurrent(KubernetesClient client, String namespace, String cluster, Duration within)
            throws InterruptedException {
        await(client, KilnCluster.class, namespace, cluster, Status.CURRENT, within);
        Predicate<GenericKubernetesResource> ofCluster = r -> r.getMetadata().getLabels() != null
                && cluster.equals(r.getMetadata().getLabels().get(CLUSTER_NAME));
        awaitEach(client, KilnMachine.class, namespace, ofCluster, Status.CURRENT, within);
        awaitEach(client, KilnConfig.class, namespace, ofCluster, Status.CURRENT, within);
        awaitEach(client, KilnServer.class, namespace, KstatusAwait::inUse, Status.CURRENT, within);
    }

    static boolean inUse(GenericKubernetesResource server) {
        return server.getAdditionalProperties().get("status") instanceof Map<?, ?> status
                && Boolean.TRUE.equals(status.get("inUse"));
    }

    private static GenericKubernetesResource awaitObject(KubernetesClient client, Class<? extends HasMetadata> kind,
            String namespace, String name, Predicate<GenericKubernetesResource> done, String what, Duration within)
            throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        GenericKubernetesResource last;
        while (true) {
            last = client.genericKubernetesResources(ResourceDefinitionContext.fromResourceType(kind))
                    .inNamespace(namespace).withName(name).get();
            if (last != null && done.test(last)) {
                assertArgoAgrees(last);
                return last;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + kind.getSimpleName() + " " + namespace + "/"
                        + name + ": " + what + "; last seen " + (last == null ? "nothing" : describe(last)));
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    private static void assertArgoAgrees(GenericKubernetesResource resource) {
        ArgoHealth.Health health = ArgoHealth.forKind(resource.getKind()).of(resource);
        assertEquals(ArgoAgreement.expected(resource), health.status(), "Argo CD health of "
                + resource.getKind() + " " + resource.getMetadata().getName() + " (" + health.message()
                + ") disagrees with " + describe(resource));
    }

    private static String describe(GenericKubernetesResource resource) {
        Object observed = resource.getAdditionalProperties().get("status") instanceof Map<?, ?> status
                ? status.get("observedGeneration") : null;
        return Kstatus.compute(resource) + " at generation " + resource.getMetadata().getGeneration()
                + ", observed " + observed + ", conditions " + Kstatus.conditions(resource).stream()
                        .map(c -> c.get("type") + "=" + c.get("status") + "(" + c.get("reason") + ")").toList();
    }
}
