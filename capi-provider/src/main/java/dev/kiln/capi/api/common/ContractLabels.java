package dev.kiln.capi.api.common;

/**
 * CRD labels Cluster API reads: which of our API versions serves the Cluster API contract metadata.yaml declares,
 * and which provider owns the CRD. Only v1beta2: the types have its shapes, and a v1beta1 reader could not install
 * a v1beta2 release series anyway. Written as key=value for fabric8's {@code @Labels}.
 */
public final class ContractLabels {
    public static final String V1BETA2 = "cluster.x-k8s.io/v1beta2=v1alpha1";
    public static final String BOOTSTRAP_PROVIDER = "cluster.x-k8s.io/provider=bootstrap-kiln";
    public static final String CONTROL_PLANE_PROVIDER = "cluster.x-k8s.io/provider=control-plane-kiln";
    public static final String INFRASTRUCTURE_PROVIDER = "cluster.x-k8s.io/provider=infrastructure-kiln";
    /**
     * clusterctl move takes every object of a CRD with this label (any value) from the namespace it moves: the inventory goes
     * with the clusters that claim from it.
     */
    public static final String CLUSTERCTL_MOVE = "clusterctl.cluster.x-k8s.io/move=true";
    /** Lets {@code kubectl get cluster-api} list Kiln objects next to the core ones. */
    public static final String CATEGORY = "cluster-api";

    private ContractLabels() {}
}
