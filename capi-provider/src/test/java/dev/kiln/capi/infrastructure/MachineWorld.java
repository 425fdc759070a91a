package dev.kiln.capi.infrastructure;

import dev.kiln.capi.api.controlplane.v1alpha1.KilnControlPlane;
import dev.kiln.capi.api.controlplane.v1alpha1.KilnControlPlaneSpec;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachine;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachineSpec;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnServer;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnServerSpec;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnServerStatus;
import dev.kiln.capi.cluster.ClusterSecrets;
import dev.kiln.capi.cluster.KilnLabels;
import dev.kiln.capi.core.v1beta1.Cluster;
import dev.kiln.capi.core.v1beta1.Machine;
import dev.kiln.machinery.config.ConfigGenerator;
import dev.kiln.machinery.config.ConfigWriter;
import dev.kiln.machinery.config.MachineType;
import dev.kiln.machinery.pki.SecretsBundle;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/** Cluster API objects around KilnMachines on the CRUD mock, built the way Cluster API and KilnConfig leave them. */
final class MachineWorld {

    static final String NAMESPACE = "default";
    static final String CLUSTER = "c1";

    private final KubernetesClient client;
    private SecretsBundle secrets;

    MachineWorld(KubernetesClient client) {
        this.client = client;
    }

    /** The committed CRDs tell the mock which kinds have a status subresource, as a real API server knows. */
    void installCrds() {
        for (Class<? extends HasMetadata> kind : java.util.List.of(KilnMachine.class, KilnServer.class)) {
            Path file = Path.of(System.getProperty("kiln.crds.dir", "../crds"))
                    .resolve(HasMetadata.getPlural(kind) + "." + HasMetadata.getGroup(kind) + ".yaml");
            try {
                CustomResourceDefinition crd = Serialization.unmarshal(Files.readString(file, StandardCharsets.UTF_8),
                        CustomResourceDefinition.class);
                client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    Cluster cluster(boolean paused) {
        Map<String, Object> spec = new HashMap<>();
        if (paused) {
            spec.put("paused", true);
        }
        createAsClusterApiWould("Cluster", CLUSTER, Map.of(), spec);
        Cluster created = client.resources(Cluster.class).inNamespace(NAMESPACE).withName(CLUSTER).get();
        secrets = ClusterSecrets.loadOrCreate(client, created);
        return created;
    }

    /** A Cluster whose control plane is a KilnControlPlane that wants {@code replicas} machines. */
    Cluster clusterWithKilnControlPlane(int replicas) {
        KilnControlPlaneSpec spec = new KilnControlPlaneSpec();
        spec.setReplicas(replicas);
        KilnControlPlane controlPlane = new KilnControlPlane();
        controlPlane.setMetadata(new ObjectMetaBuilder().withName(CLUSTER).withNamespace(NAMESPACE).build());
        controlPlane.setSpec(spec);
        client.resource(controlPlane).create();
        createAsClusterApiWould("Cluster", CLUSTER, Map.of(), Map.of("controlPlaneRef", Map.of(
                "apiVersion", "controlplane.cluster.x-k8s.io/v1alpha1", "kind", "KilnControlPlane", "name", CLUSTER)));
        Cluster created = client.resources(Cluster.class).inNamespace(NAMESPACE).withName(CLUSTER).get();
        secrets = ClusterSecrets.loadOrCreate(client, created);
        return created;
    }

    KilnServer server(String name, String address, String fingerprint, Map<String, String> labels, boolean clean,
            boolean inUse) {
        KilnServer server = new KilnServer();
        server.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NAMESPACE).withLabels(labels).build());
        server.setSpec(new KilnServerSpec(address, fingerprint));
        client.resource(server).create();
        return client.resources(KilnServer.class).inNamespace(NAMESPACE).withName(name).editStatus(current -> {
            KilnServerStatus status = new KilnServerStatus();
            status.setClean(clean);
            status.setInUse(inUse);
            status.setMaintenance(true);
            current.setStatus(status);
            return current;
        });
    }

    /** A server as registered without a status, or as clusterctl move leaves it: no recorded verdict. */
    KilnServer unsurveyedServer(String name, String address, String fingerprint) {
        KilnServer server = new KilnServer();
        server.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NAMESPACE).build());
        server.setSpec(new KilnServerSpec(address, fingerprint));
        return client.resource(server).create();
    }

    KilnServer freeServer(String name, String address, String fingerprint) {
        return server(name, address, fingerprint, Map.of(), true, false);
    }

    /** A Machine with its bootstrap data ready and its KilnMachine, owned by it, as Cluster API creates them. */
    KilnMachine machine(String name, boolean controlPlane, LabelSelector serverSelector) {
        writeBootstrapData(name, controlPlane);
        return kilnMachine(name, createMachine(name, controlPlane, name), serverSelector);
    }

    /** As {@link #machine}, with the Machine placed in {@code failureDomain} as a control-plane provider would. */
    KilnMachine machineInDomain(String name, String failureDomain) {
        writeBootstrapData(name, false);
        return kilnMachine(name, createMachine(name, false, name, failureDomain), null);
    }

    /** As {@link #machine}, the Machine asking for {@code version} and the KilnMachine naming {@code releaseImage}. */
    KilnMachine machineWithRelease(String name, boolean controlPlane, String version, String releaseImage) {
        writeBootstrapData(name, controlPlane);
        Machine owner = createMachine(name, controlPlane, name, null, version);
        KilnMachine kilnMachine = new KilnMachine();
        kilnMachine.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NAMESPACE)
                .withLabels(KilnLabels.forCluster(CLUSTER)).withOwnerReferences(KilnLabels.ownedBy(owner, true))
                .build());
        KilnMachineSpec spec = new KilnMachineSpec();
        spec.setReleaseImage(releaseImage);
        kilnMachine.setSpec(spec);
        return client.resource(kilnMachine).create();
    }

    Machine machineWithoutData(String name, boolean controlPlane) {
        return createMachine(name, controlPlane, null);
    }

    /** What the bootstrap provider does once the data Secret is written. */
    void setDataSecretName(String machine, String secretName) {
        client.resources(Machine.class).inNamespace(NAMESPACE).withName(machine).patch(
                PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\":{\"bootstrap\":{\"dataSecretName\":\"" + secretName + "\"}}}");
    }

    private Machine createMachine(String name, boolean controlPlane, String dataSecretName) {
        return createMachine(name, controlPlane, dataSecretName, null);
    }

    private Machine createMachine(String name, boolean controlPlane, String dataSecretName, String failureDomain) {
        return createMachine(name, controlPlane, dataSecretName, failureDomain, null);
    }

    private Machine createMachine(String name, boolean controlPlane, String dataSecretName, String failureDomain,
            String version) {
        Map<String, String> labels = new HashMap<>(KilnLabels.forCluster(CLUSTER));
        if (controlPlane) {
            labels.put(Machine.CONTROL_PLANE_LABEL, "");
        }
        Map<String, Object> bootstrap = new HashMap<>();
        if (dataSecretName != null) {
            bootstrap.put("dataSecretName", dataSecretName);
        }
        Map<String, Object> spec = new HashMap<>(Map.of(
                "clusterName", CLUSTER,
                "bootstrap", bootstrap,
                "infrastructureRef", Map.of("apiVersion", HasMetadata.getApiVersion(KilnMachine.class),
                        "kind", "KilnMachine", "name", name, "namespace", NAMESPACE)));
        if (failureDomain != null) {
            spec.put("failureDomain", failureDomain);
        }
        if (version != null) {
            spec.put("version", version);
        }
        createAsClusterApiWould("Machine", name, labels, spec);
        return client.resources(Machine.class).inNamespace(NAMESPACE).withName(name).get();
    }

    // Written as plain JSON: the typed core views serialize helper getters (isPaused, isControlPlane) as fields.
    private void createAsClusterApiWould(String kind, String name, Map<String, String> labels, Map<String, Object> spec) {
        GenericKubernetesResource object = new GenericKubernetesResourceBuilder()
                .withApiVersion("cluster.x-k8s.io/v1beta1")
                .withKind(kind)
                .withNewMetadata().withName(name).withNamespace(NAMESPACE).withLabels(labels).endMetadata()
                .build();
        object.setAdditionalProperty("spec", spec);
        // The mock has no discovery, so the kind's plural is given rather than looked up.
        var context = new ResourceDefinitionContext.Builder().withGroup("cluster.x-k8s.io").withVersion("v1beta1")
                .withKind(kind).withPlural(kind.toLowerCase(java.util.Locale.ROOT) + "s").withNamespaced(true).build();
        client.genericKubernetesResources(context).inNamespace(NAMESPACE).resource(object).create();
    }

    KilnMachine kilnMachine(String name, Machine owner, LabelSelector serverSelector) {
        KilnMachine kilnMachine = new KilnMachine();
        kilnMachine.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NAMESPACE)
                .withLabels(KilnLabels.forCluster(CLUSTER))
                .withOwnerReferences(KilnLabels.ownedBy(owner, true))
                .build());
        KilnMachineSpec spec = new KilnMachineSpec();
        spec.setServerSelector(serverSelector);
        kilnMachine.setSpec(spec);
        return client.resource(kilnMachine).create();
    }

    String writeBootstrapData(String name, boolean controlPlane) {
        String yaml = bootstrapYaml(name, controlPlane);
        client.secrets().inNamespace(NAMESPACE).resource(new SecretBuilder()
                .withNewMetadata().withName(name).withNamespace(NAMESPACE).endMetadata()
                .withType(KilnLabels.SECRET_TYPE)
                .addToData(KilnMachineReconciler.BOOTSTRAP_DATA_KEY,
                        Base64.getEncoder().encodeToString(yaml.getBytes(StandardCharsets.UTF_8)))
                .build()).create();
        return yaml;
    }

    String bootstrapYaml(String hostname, boolean controlPlane) {
        var config = ConfigGenerator.generate(secrets, controlPlane ? MachineType.CONTROLPLANE : MachineType.WORKER,
                ConfigGenerator.Options.of(CLUSTER, "https://10.0.0.100:6443").withHostname(hostname));
        return new ConfigWriter().write(config);
    }

    KilnMachine kilnMachine(String name) {
        return client.resources(KilnMachine.class).inNamespace(NAMESPACE).withName(name).get();
    }

    KilnServer server(String name) {
        return client.resources(KilnServer.class).inNamespace(NAMESPACE).withName(name).get();
    }
}
