package dev.kiln.testenv;

import dev.kiln.capi.api.bootstrap.v1alpha1.KilnConfig;
import dev.kiln.capi.api.bootstrap.v1alpha1.KilnConfigTemplate;
import dev.kiln.capi.api.controlplane.v1alpha1.KilnControlPlane;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnCluster;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachine;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachineTemplate;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnServer;
import dev.kiln.capi.core.v1beta1.Cluster;
import dev.kiln.capi.core.v1beta1.Machine;
import dev.kiln.capi.core.v1beta1.MachineDeployment;
import dev.kiln.testenv.capi.MachineSet;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@code clusterctl move} does, between two management APIs of the local environment (test support: clusterctl
 * itself needs a real kube-apiserver, which cannot run here). It follows clusterctl's provider contract:
 *
 * <ol>
 *   <li>Refuses to move a Cluster whose infrastructure is not ready or a Machine without a providerID (clusterctl
 *       checks for a nodeRef, which the Cluster API stand-in never sets).</li>
 *   <li>Pauses every Cluster of the namespace ({@code spec.paused: true}).</li>
 *   <li>Discovers the graph among the namespace's objects of the Cluster API and Kiln kinds, Secrets and ConfigMaps:
 *       the Clusters; every object with an owner reference to a moved object, transitively; Secrets named
 *       {@code <cluster>-<suffix>} (clusterctl's soft ownership); every object of a CRD labelled
 *       {@value #MOVE_LABEL} or {@value #MOVE_HIERARCHY_LABEL}, and every object itself so labelled. Anything
 *       else stays behind, as with clusterctl.</li>
 *   <li>Creates the objects on the target, owners before dependents, with metadata, spec and data but no status,
 *       and with each owner reference re-linked to the new uid of its owner (references to owners left behind
 *       are dropped).</li>
 *   <li>Deletes them from the source, dependents before owners, each after removing its finalizers, so no
 *       controller on the source runs a deletion, and waits until they are gone.</li>
 *   <li>Unpauses the Clusters on the target.</li>
 * </ol>
 */
final class ClusterctlMove {

    static final String MOVE_LABEL = "clusterctl.cluster.x-k8s.io/move";
    static final String MOVE_HIERARCHY_LABEL = "clusterctl.cluster.x-k8s.io/move-hierarchy";

    private static final String NO_FINALIZERS = "{\"metadata\":{\"finalizers\":null}}";
    private static final Duration GONE_WITHIN = Duration.ofSeconds(60);

    private static final List<Class<? extends HasMetadata>> KINDS = List.of(Cluster.class, KilnCluster.class,
            KilnControlPlane.class, MachineDeployment.class, MachineSet.class, Machine.class, KilnConfig.class,
            KilnConfigTemplate.class, KilnMachine.class, KilnMachineTemplate.class, KilnServer.class, Secret.class,
            ConfigMap.class);

    /** One object of the graph as first read on the source. */
    private record Node(ResourceDefinitionContext kind, GenericKubernetesResource object) {

        String uid() {
            return object.getMetadata().getUid();
        }

        String describe() {
            return object.getKind() + "/" + object.getMetadata().getName();
        }

        List<OwnerReference> owners() {
            return object.getMetadata().getOwnerReferences() == null ? List.of()
                    : object.getMetadata().getOwnerReferences();
        }
    }

    /** What was moved, in creation order, and each moved object's new uid by its old one. */
    record Moved(List<String> objects, Map<String, String> newUids) {
    }

    private ClusterctlMove() {
    }

    static Moved move(KubernetesClient source, KubernetesClient target, String namespace) {
        Map<String, Node> all = read(source, namespace);
        checkProvisioned(all.values());
        List<Node> clusters = all.values().stream().filter(node -> node.object().getKind().equals("Cluster")).toList();
        clusters.forEach(cluster -> setPaused(source, cluster, true));
        List<Node> ordered = ownersFirst(discover(source, all));
        Map<String, String> newUids = new HashMap<>();
        List<String> moved = new ArrayList<>();
        for (Node node : ordered) {
            GenericKubernetesResource current = client(source, node).withName(node.object().getMetadata().getName())
                    .get();
            GenericKubernetesResource created = client(target, node).resource(copyFor(current, newUids)).create();
            newUids.put(node.uid(), created.getMetadata().getUid());
            moved.add(node.describe());
        }
        for (int i = ordered.size() - 1; i >= 0; i--) {
            Node node = ordered.get(i);
            var resource = client(source, node).withName(node.object().getMetadata().getName());
            resource.patch(PatchContext.of(PatchType.JSON_MERGE), NO_FINALIZERS);
            resource.delete();
        }
        awaitGone(source, ordered);
        for (Node cluster : clusters) {
            GenericKubernetesResource onTarget = client(target, cluster).withName(cluster.object().getMetadata()
                    .getName()).get();
            setPaused(target, new Node(cluster.kind(), onTarget), false);
        }
        return new Moved(moved, newUids);
    }

    /**
     * A JOSDK controller on the source adds its finalizer back to an object that lost it before it looks at the
     * pause, so an object may outlive its delete; clusterctl retries, and so does this: finalizers are removed again
     * until every moved object is gone from the source.
     */
    private static void awaitGone(KubernetesClient source, List<Node> moved) {
        long deadline = System.nanoTime() + GONE_WITHIN.toNanos();
        while (true) {
            List<Node> left = moved.stream().filter(node -> client(source, node)
                    .withName(node.object().getMetadata().getName()).get() != null).toList();
            if (left.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("still on the source after " + GONE_WITHIN.toSeconds() + " s: "
                        + left.stream().map(Node::describe).toList());
            }
            for (Node node : left) {
                try {
                    client(source, node).withName(node.object().getMetadata().getName())
                            .patch(PatchContext.of(PatchType.JSON_MERGE), NO_FINALIZERS);
                } catch (KubernetesClientException e) {
                    if (e.getCode() != 404) {
                        throw e;
                    }
                }
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    private static Map<String, Node> read(KubernetesClient source, String namespace) {
        Map<String, Node> all = new LinkedHashMap<>();
        for (Class<? extends HasMetadata> kind : KINDS) {
            ResourceDefinitionContext context = ResourceDefinitionContext.fromResourceType(kind);
            for (GenericKubernetesResource object : source.genericKubernetesResources(context).inNamespace(namespace)
                    .list().getItems()) {
                all.put(object.getMetadata().getUid(), new Node(context, object));
            }
        }
        return all;
    }

    private static void checkProvisioned(Iterable<Node> nodes) {
        for (Node node : nodes) {
            if (node.object().getKind().equals("Cluster")
                    && !Boolean.TRUE.equals(path(node.object(), "status", "infrastructureReady"))) {
                throw new IllegalStateException(node.describe() + ": status.infrastructureReady is not true;"
                        + " a Cluster is moved only once provisioned");
            }
            if (node.object().getKind().equals("Machine") && path(node.object(), "spec", "providerID") == null) {
                throw new IllegalStateException(node.describe() + ": spec.providerID is not set; a Machine is moved"
                        + " only once provisioned");
            }
        }
    }

    /** The objects clusterctl would move, per the rules in this class's comment. */
    private static Set<Node> discover(KubernetesClient source, Map<String, Node> all) {
        Set<String> forcedKinds = forceMovedKinds(source);
        Set<String> moving = new HashSet<>();
        Set<String> clusterNames = new HashSet<>();
        for (Node node : all.values()) {
            Map<String, String> labels = node.object().getMetadata().getLabels() == null ? Map.of()
                    : node.object().getMetadata().getLabels();
            boolean forced = forcedKinds.contains(node.object().getKind()) || labels.containsKey(MOVE_LABEL)
                    || labels.containsKey(MOVE_HIERARCHY_LABEL);
            if (node.object().getKind().equals("Cluster")) {
                clusterNames.add(node.object().getMetadata().getName());
            }
            if (forced || node.object().getKind().equals("Cluster")) {
                moving.add(node.uid());
            }
        }
        for (Node node : all.values()) {
            if (node.object().getKind().equals("Secret") && clusterNames.stream()
                    .anyMatch(cluster -> node.object().getMetadata().getName().startsWith(cluster + "-"))) {
                moving.add(node.uid());
            }
        }
        boolean grew = true;
        while (grew) {
            grew = false;
            for (Node node : all.values()) {
                if (!moving.contains(node.uid())
                        && node.owners().stream().anyMatch(owner -> moving.contains(owner.getUid()))) {
                    moving.add(node.uid());
                    grew = true;
                }
            }
        }
        Set<Node> nodes = new HashSet<>();
        moving.forEach(uid -> nodes.add(all.get(uid)));
        return nodes;
    }

    private static Set<String> forceMovedKinds(KubernetesClient source) {
        Set<String> kinds = new HashSet<>();
        for (CustomResourceDefinition crd : source.apiextensions().v1().customResourceDefinitions().list().getItems()) {
            Map<String, String> labels = crd.getMetadata().getLabels();
            if (labels != null && (labels.containsKey(MOVE_LABEL) || labels.containsKey(MOVE_HIERARCHY_LABEL))) {
                kinds.add(crd.getSpec().getNames().getKind());
            }
        }
        return kinds;
    }

    /** Every object after all of its owners that are moved too. */
    private static List<Node> ownersFirst(Set<Node> nodes) {
        Map<String, Node> byUid = new HashMap<>();
        nodes.forEach(node -> byUid.put(node.uid(), node));
        List<Node> ordered = new ArrayList<>();
        Set<String> placed = new HashSet<>();
        Deque<Node> pending = new ArrayDeque<>(nodes.stream()
                .sorted((a, b) -> a.describe().compareTo(b.describe())).toList());
        int sincePlaced = 0;
        while (!pending.isEmpty()) {
            Node node = pending.removeFirst();
            boolean ready = node.owners().stream()
                    .allMatch(owner -> !byUid.containsKey(owner.getUid()) || placed.contains(owner.getUid()));
            if (ready) {
                ordered.add(node);
                placed.add(node.uid());
                sincePlaced = 0;
            } else {
                pending.addLast(node);
                if (++sincePlaced > pending.size()) {
                    throw new IllegalStateException("owner references form a cycle among " + pending.stream()
                            .map(Node::describe).toList());
                }
            }
        }
        return ordered;
    }

    /** The object as created on the target: no status, no server-set metadata, owners re-linked. */
    private static GenericKubernetesResource copyFor(GenericKubernetesResource source, Map<String, String> newUids) {
        GenericKubernetesResource copy = new GenericKubernetesResource();
        copy.setApiVersion(source.getApiVersion());
        copy.setKind(source.getKind());
        ObjectMeta meta = new ObjectMeta();
        meta.setName(source.getMetadata().getName());
        meta.setNamespace(source.getMetadata().getNamespace());
        meta.setLabels(source.getMetadata().getLabels());
        meta.setAnnotations(source.getMetadata().getAnnotations());
        meta.setFinalizers(source.getMetadata().getFinalizers());
        List<OwnerReference> owners = new ArrayList<>();
        for (OwnerReference owner : source.getMetadata().getOwnerReferences() == null ? List.<OwnerReference>of()
                : source.getMetadata().getOwnerReferences()) {
            String newUid = newUids.get(owner.getUid());
            if (newUid != null) {
                owners.add(new OwnerReference(owner.getApiVersion(), owner.getBlockOwnerDeletion(),
                        owner.getController(), owner.getKind(), owner.getName(), newUid));
            }
        }
        meta.setOwnerReferences(owners.isEmpty() ? null : owners);
        copy.setMetadata(meta);
        Map<String, Object> content = new LinkedHashMap<>(source.getAdditionalProperties());
        content.remove("status");
        content.forEach(copy::setAdditionalProperty);
        return copy;
    }

    private static void setPaused(KubernetesClient client, Node cluster, boolean paused) {
        client(client, cluster).withName(cluster.object().getMetadata().getName())
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"paused\":" + paused + "}}");
    }

    private static io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<GenericKubernetesResource,
            io.fabric8.kubernetes.api.model.GenericKubernetesResourceList,
            io.fabric8.kubernetes.client.dsl.Resource<GenericKubernetesResource>> client(KubernetesClient client,
                    Node node) {
        return client.genericKubernetesResources(node.kind()).inNamespace(node.object().getMetadata().getNamespace());
    }

    @SuppressWarnings("unchecked")
    private static Object path(GenericKubernetesResource object, String section, String field) {
        Object part = object.getAdditionalProperties().get(section);
        return part instanceof Map<?, ?> map ? ((Map<String, Object>) map).get(field) : null;
    }
}
