package dev.kiln.capi.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.kiln.capi.core.v1beta1.Cluster;
import dev.kiln.capi.core.v1beta1.Machine;
import dev.kiln.capi.core.v1beta1.MachineSpec;
import dev.kiln.capi.core.v1beta1.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterScopeTest {

    private static Cluster cluster(ObjectReference controlPlaneRef) {
        Cluster cluster = new Cluster();
        cluster.setMetadata(new ObjectMetaBuilder().withName("c").withNamespace("ns").build());
        Cluster.Spec spec = new Cluster.Spec();
        spec.setControlPlaneRef(controlPlaneRef);
        cluster.setSpec(spec);
        return cluster;
    }

    private static Machine machine(String name, boolean controlPlane, ObjectReference bootstrapConfig) {
        Machine machine = new Machine();
        Map<String, String> labels = new HashMap<>(Map.of(Machine.CLUSTER_NAME_LABEL, "c"));
        if (controlPlane) {
            labels.put(Machine.CONTROL_PLANE_LABEL, "");
        }
        machine.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("ns").withLabels(labels).build());
        MachineSpec spec = new MachineSpec();
        if (bootstrapConfig != null) {
            MachineSpec.Bootstrap bootstrap = new MachineSpec.Bootstrap();
            bootstrap.setConfigRef(bootstrapConfig);
            spec.setBootstrap(bootstrap);
        }
        machine.setSpec(spec);
        return machine;
    }

    private static ObjectReference ref(String apiVersion, String kind) {
        return new ObjectReference(apiVersion, kind, "x", "ns");
    }

    private static final ObjectReference KILN_CONTROL_PLANE =
            ref("controlplane.cluster.x-k8s.io/v1alpha1", "KilnControlPlane");
    private static final ObjectReference KUBEADM_CONTROL_PLANE =
            ref("controlplane.cluster.x-k8s.io/v1beta1", "KubeadmControlPlane");
    private static final ObjectReference KILN_CONFIG = ref("bootstrap.cluster.x-k8s.io/v1alpha1", "KilnConfig");
    private static final ObjectReference KUBEADM_CONFIG = ref("bootstrap.cluster.x-k8s.io/v1beta1", "KubeadmConfig");

    @Test
    void aClusterWhoseControlPlaneIsAKilnControlPlaneIsKilns() {
        ClusterScope scope = ClusterScope.of(cluster(KILN_CONTROL_PLANE), List.of());

        assertEquals(new ClusterScope.Kiln("controlPlaneRef is KilnControlPlane x"), scope);
    }

    @Test
    void aV1beta2ControlPlaneRefNamesKilnsGroupInApiGroup() {
        ObjectReference ref = new ObjectReference(null, "KilnControlPlane", "x", "ns");
        ref.setAdditionalProperty("apiGroup", "controlplane.cluster.x-k8s.io");

        assertInstanceOf(ClusterScope.Kiln.class, ClusterScope.of(cluster(ref), List.of()));
    }

    @Test
    void aControlPlaneKindOfTheSameNameInAnotherGroupIsForeign() {
        ObjectReference lookalike = ref("controlplane.example.com/v1", "KilnControlPlane");

        assertEquals(new ClusterScope.Foreign(), ClusterScope.of(cluster(lookalike), List.of()));
    }

    @Test
    void aControlPlaneRefWithoutAnyGroupIsForeign() {
        ObjectReference bare = new ObjectReference(null, "KilnControlPlane", "x", "ns");

        assertEquals(new ClusterScope.Foreign(), ClusterScope.of(cluster(bare), List.of()));
    }

    @Test
    void aClusterOfAnotherControlPlaneProviderIsForeign() {
        List<Machine> machines = List.of(machine("m-0", true, KUBEADM_CONFIG), machine("m-1", true, KUBEADM_CONFIG));

        assertEquals(new ClusterScope.Foreign(), ClusterScope.of(cluster(KUBEADM_CONTROL_PLANE), machines));
    }

    @Test
    void aControlPlaneOfKilnConfigMachinesWithoutAControlPlaneRefIsKilns() {
        List<Machine> machines = List.of(machine("md-0", true, KILN_CONFIG));

        assertEquals(new ClusterScope.Kiln("control-plane Machine md-0 is bootstrapped by a KilnConfig"),
                ClusterScope.of(cluster(null), machines));
    }

    @Test
    void kilnConfigWorkersAloneDoNotMakeAClusterKilns() {
        List<Machine> machines = List.of(machine("cp-0", true, KUBEADM_CONFIG), machine("w-0", false, KILN_CONFIG));

        assertEquals(new ClusterScope.Foreign(), ClusterScope.of(cluster(KUBEADM_CONTROL_PLANE), machines));
    }

    @Test
    void aClusterWithoutControlPlaneRefOrMachinesIsForeign() {
        assertEquals(new ClusterScope.Foreign(), ClusterScope.of(cluster(null), List.of()));
    }

    @Test
    void aControlPlaneMachineWithoutBootstrapConfigIsForeign() {
        assertEquals(new ClusterScope.Foreign(), ClusterScope.of(cluster(null), List.of(machine("m", true, null))));
    }
}
