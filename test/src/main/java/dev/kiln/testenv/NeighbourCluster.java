package dev.kiln.testenv;

import dev.kiln.capi.core.v1beta1.Cluster;
import dev.kiln.capi.core.v1beta1.Machine;
import dev.kiln.capi.core.v1beta1.MachineSpec;
import dev.kiln.capi.core.v1beta1.ObjectReference;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A Cluster of another provider (KubeadmControlPlane, KubeadmConfig, DockerMachine) in its own namespace, with a
 * control-plane and a worker Machine, next to every scenario's cluster: Kiln must leave it alone, writing no
 * finalizer, label, annotation or event on it or its Machines (test support).
 */
public final class NeighbourCluster {

    public static final String NAMESPACE = "neighbours";
    public static final String NAME = "kubeadm-neighbour";

    private NeighbourCluster() {
    }

    static void create(KubernetesClient client) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata()
                .build()).create();
        Cluster cluster = new Cluster();
        cluster.setMetadata(new ObjectMetaBuilder().withName(NAME).withNamespace(NAMESPACE).build());
        Cluster.Spec spec = new Cluster.Spec();
        spec.setControlPlaneRef(new ObjectReference("controlplane.cluster.x-k8s.io/v1beta1", "KubeadmControlPlane",
                NAME, NAMESPACE));
        spec.setInfrastructureRef(new ObjectReference("infrastructure.cluster.x-k8s.io/v1beta1", "DockerCluster",
                NAME, NAMESPACE));
        cluster.setSpec(spec);
        client.resource(cluster).create();
        client.resource(machine(NAME + "-cp-0", true)).create();
        client.resource(machine(NAME + "-md-0", false)).create();
    }

    private static Machine machine(String name, boolean controlPlane) {
        Map<String, String> labels = new HashMap<>(Map.of(Machine.CLUSTER_NAME_LABEL, NAME));
        if (controlPlane) {
            labels.put(Machine.CONTROL_PLANE_LABEL, "");
        }
        Machine machine = new Machine();
        machine.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NAMESPACE).withLabels(labels).build());
        MachineSpec spec = new MachineSpec();
        spec.setClusterName(NAME);
        MachineSpec.Bootstrap bootstrap = new MachineSpec.Bootstrap();
        bootstrap.setConfigRef(new ObjectReference("bootstrap.cluster.x-k8s.io/v1beta1", "KubeadmConfig", name,
                NAMESPACE));
        spec.setBootstrap(bootstrap);
        spec.setInfrastructureRef(new ObjectReference("infrastructure.cluster.x-k8s.io/v1beta1", "DockerMachine",
                name, NAMESPACE));
        machine.setSpec(spec);
        return machine;
    }

    /** Every Kiln mark on the neighbour's Cluster and Machines and every event about them; empty when untouched. */
    public static List<String> kilnMarks(KubernetesClient client) {
        Cluster cluster = client.resources(Cluster.class).inNamespace(NAMESPACE).withName(NAME).get();
        if (cluster == null) {
            return List.of("the neighbour Cluster " + NAMESPACE + "/" + NAME + " is gone");
        }
        List<HasMetadata> objects = new ArrayList<>(List.of(cluster));
        objects.addAll(client.resources(Machine.class).inNamespace(NAMESPACE).list().getItems());
        List<String> marks = new ArrayList<>();
        for (HasMetadata object : objects) {
            String who = object.getKind() + " " + object.getMetadata().getName();
            listOrEmpty(object.getMetadata().getFinalizers()).stream().filter(NeighbourCluster::kilns)
                    .forEach(finalizer -> marks.add(who + " finalizer " + finalizer));
            mapOrEmpty(object.getMetadata().getAnnotations()).keySet().stream().filter(NeighbourCluster::kilns)
                    .forEach(annotation -> marks.add(who + " annotation " + annotation));
            mapOrEmpty(object.getMetadata().getLabels()).keySet().stream().filter(NeighbourCluster::kilns)
                    .forEach(label -> marks.add(who + " label " + label));
        }
        client.v1().events().inNamespace(NAMESPACE).list().getItems()
                .forEach(event -> marks.add("event " + event.getReason() + " on " + event.getInvolvedObject().getKind()
                        + " " + event.getInvolvedObject().getName() + ": " + event.getMessage()));
        return marks;
    }

    private static boolean kilns(String key) {
        return key.startsWith("kiln.dev/") || key.contains(".kiln.dev/") || key.contains("/kiln");
    }

    private static <T> List<T> listOrEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    private static Map<String, String> mapOrEmpty(Map<String, String> map) {
        return map == null ? Map.of() : map;
    }
}
