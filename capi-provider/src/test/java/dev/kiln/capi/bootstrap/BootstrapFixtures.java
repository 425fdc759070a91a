package dev.kiln.capi.bootstrap;

import dev.kiln.capi.api.bootstrap.v1alpha1.KilnConfig;
import dev.kiln.capi.api.bootstrap.v1alpha1.KilnConfigSpec;
import dev.kiln.capi.api.controlplane.v1alpha1.KilnControlPlane;
import dev.kiln.capi.api.controlplane.v1alpha1.KilnControlPlaneSpec;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachine;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachineStatus;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnServer;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnServerSpec;
import dev.kiln.capi.api.infrastructure.v1alpha1.ServerRef;
import dev.kiln.capi.cluster.KilnLabels;
import dev.kiln.capi.core.v1beta1.ApiEndpoint;
import dev.kiln.capi.core.v1beta1.Cluster;
import dev.kiln.capi.core.v1beta1.Machine;
import dev.kiln.capi.core.v1beta1.MachineSpec;
import dev.kiln.capi.core.v1beta1.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Cluster API objects as the core controllers would leave them for a bootstrap provider, in one namespace. */
final class BootstrapFixtures {

    final KubernetesClient client;
    final String namespace;

    BootstrapFixtures(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    Cluster cluster(String name, String endpointHost, boolean paused) {
        Cluster cluster = new Cluster();
        cluster.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
        Cluster.Spec spec = new Cluster.Spec();
        if (endpointHost != null) {
            ApiEndpoint endpoint = new ApiEndpoint();
            endpoint.setHost(endpointHost);
            endpoint.setPort(6443);
            spec.setControlPlaneEndpoint(endpoint);
        }
        spec.setPaused(paused ? Boolean.TRUE : null);
        cluster.setSpec(spec);
        return client.resource(cluster).create();
    }

    Machine machine(String name, String cluster, boolean controlPlane, String configName) {
        Machine machine = new Machine();
        Map<String, String> labels = new HashMap<>(KilnLabels.forCluster(cluster));
        if (controlPlane) {
            labels.put(Machine.CONTROL_PLANE_LABEL, "");
        }
        machine.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).withLabels(labels).build());
        MachineSpec spec = new MachineSpec();
        spec.setClusterName(cluster);
        spec.setVersion("v1.31.0");
        MachineSpec.Bootstrap bootstrap = new MachineSpec.Bootstrap();
        bootstrap.setConfigRef(new ObjectReference(KilnConfig.GROUP + "/" + KilnConfig.VERSION, "KilnConfig", configName,
                namespace));
        spec.setBootstrap(bootstrap);
        spec.setInfrastructureRef(new ObjectReference("infrastructure.cluster.x-k8s.io/v1alpha1", "KilnMachine",
                name + "-infra", namespace));
        machine.setSpec(spec);
        return client.resource(machine).create();
    }

    /** A KilnControlPlane wanting {@code replicas} machines, made the control plane of {@code cluster}. */
    void kilnControlPlane(String cluster, int replicas) {
        KilnControlPlaneSpec spec = new KilnControlPlaneSpec();
        spec.setReplicas(replicas);
        KilnControlPlane controlPlane = new KilnControlPlane();
        controlPlane.setMetadata(new ObjectMetaBuilder().withName(cluster).withNamespace(namespace).build());
        controlPlane.setSpec(spec);
        client.resource(controlPlane).create();
        client.resources(Cluster.class).inNamespace(namespace).withName(cluster).edit(current -> {
            current.getSpec().setControlPlaneRef(new ObjectReference(KilnControlPlane.GROUP + "/"
                    + KilnControlPlane.VERSION, "KilnControlPlane", cluster, namespace));
            return current;
        });
    }

    /** A KilnControlPlane wanting {@code replicas} machines and owning {@code machines}; no Cluster names it. */
    void kilnControlPlaneOwning(String name, int replicas, String... machines) {
        KilnControlPlaneSpec spec = new KilnControlPlaneSpec();
        spec.setReplicas(replicas);
        KilnControlPlane controlPlane = new KilnControlPlane();
        controlPlane.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
        controlPlane.setSpec(spec);
        KilnControlPlane created = client.resource(controlPlane).create();
        for (String machine : machines) {
            client.resources(Machine.class).inNamespace(namespace).withName(machine).edit(current -> {
                current.getMetadata().setOwnerReferences(List.of(KilnLabels.ownedBy(created, true)));
                return current;
            });
        }
    }

    /**
     * The KilnMachine {@code machine}'s infrastructureRef names ({@code <machine>-infra}), as the infrastructure
     * provider leaves it once it has claimed KilnServer {@code server} at {@code address}; {@code provisioned} when
     * its node answers configured.
     */
    void holdsServer(String machine, String cluster, String server, String address, boolean provisioned) {
        if (client.resources(KilnServer.class).inNamespace(namespace).withName(server).get() == null) {
            KilnServer kilnServer = new KilnServer();
            kilnServer.setMetadata(new ObjectMetaBuilder().withName(server).withNamespace(namespace).build());
            kilnServer.setSpec(new KilnServerSpec(address, "1".repeat(64)));
            client.resource(kilnServer).create();
        }
        KilnMachineStatus status = new KilnMachineStatus();
        status.setServerRef(new ServerRef(server));
        status.setReady(provisioned ? Boolean.TRUE : null);
        String name = machine + "-infra";
        KilnMachine existing = client.resources(KilnMachine.class).inNamespace(namespace).withName(name).get();
        if (existing == null) {
            Map<String, String> labels = new HashMap<>(KilnLabels.forCluster(cluster));
            labels.put(Machine.CONTROL_PLANE_LABEL, "");
            KilnMachine kilnMachine = new KilnMachine();
            kilnMachine.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).withLabels(labels)
                    .build());
            kilnMachine.setStatus(status);
            client.resource(kilnMachine).create();
            return;
        }
        existing.setStatus(status);
        client.resource(existing).update();
    }

    /** A KilnConfig owned by {@code machine}, as the Machine controller would leave it; no owner when null. */
    KilnConfig config(String name, String cluster, Machine machine, KilnConfigSpec spec) {
        KilnConfig config = new KilnConfig();
        var metadata = new ObjectMetaBuilder().withName(name).withNamespace(namespace)
                .withLabels(KilnLabels.forCluster(cluster));
        if (machine != null) {
            metadata.withOwnerReferences(KilnLabels.ownedBy(machine, false));
        }
        config.setMetadata(metadata.build());
        config.setSpec(spec);
        return client.resource(config).create();
    }

    static KilnConfigSpec spec(String generateType) {
        KilnConfigSpec spec = new KilnConfigSpec();
        spec.setGenerateType(generateType);
        return spec;
    }

    Secret secret(String name) {
        return client.secrets().inNamespace(namespace).withName(name).get();
    }

    static String decoded(Secret secret, String key) {
        return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
    }
}
