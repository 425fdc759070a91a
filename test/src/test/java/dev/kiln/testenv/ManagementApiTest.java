package dev.kiln.testenv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.capi.api.controlplane.v1alpha1.KilnControlPlane;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ManagementApiTest {

    private static final ResourceDefinitionContext MACHINE_DEPLOYMENTS = context("MachineDeployment");
    private static final ResourceDefinitionContext CLUSTERS = context("Cluster");

    private static ManagementApi api;
    private static KubernetesClient client;

    @BeforeAll
    static void start() {
        api = ManagementApi.start(0);
        client = api.client();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    private static ResourceDefinitionContext context(String kind) {
        return new ResourceDefinitionContext.Builder().withGroup("cluster.x-k8s.io").withVersion("v1beta1")
                .withKind(kind).withPlural(kind.toLowerCase() + "s").withNamespaced(true).build();
    }

    private static GenericKubernetesResource create(ResourceDefinitionContext context, String name,
            Map<String, Object> spec) {
        return client.genericKubernetesResources(context).inNamespace("default").resource(
                new GenericKubernetesResourceBuilder().withApiVersion("cluster.x-k8s.io/v1beta1")
                        .withKind(context.getKind()).withNewMetadata().withName(name).withNamespace("default")
                        .endMetadata().withAdditionalProperties(Map.of("spec", spec)).build()).create();
    }

    @Test
    void clusterApiCoreCrdsAreRegistered() {
        for (String name : new String[] {"clusters", "machines", "machinesets", "machinedeployments"}) {
            assertNotNull(client.apiextensions().v1().customResourceDefinitions()
                    .withName(name + ".cluster.x-k8s.io").get(), name);
        }
    }

    @Test
    void scaleSubresourceReadsTheReplicasTheCrdPointsAt() {
        create(MACHINE_DEPLOYMENTS, "read-scale", Map.of("clusterName", "c", "replicas", 3));
        Scale scale = client.genericKubernetesResources(MACHINE_DEPLOYMENTS).inNamespace("default")
                .withName("read-scale").scale();
        assertEquals(3, scale.getSpec().getReplicas());
        assertEquals("read-scale", scale.getMetadata().getName());
    }

    @Test
    void scaleSubresourceWritesSpecReplicasAndBumpsTheGeneration() {
        GenericKubernetesResource created =
                create(MACHINE_DEPLOYMENTS, "write-scale", Map.of("clusterName", "c", "replicas", 1));
        client.genericKubernetesResources(MACHINE_DEPLOYMENTS).inNamespace("default").withName("write-scale")
                .scale(5);
        GenericKubernetesResource scaled = client.genericKubernetesResources(MACHINE_DEPLOYMENTS)
                .inNamespace("default").withName("write-scale").get();
        assertEquals(5, ((Number) ((Map<?, ?>) scaled.getAdditionalProperties().get("spec")).get("replicas"))
                .intValue());
        assertEquals(created.getMetadata().getGeneration() + 1, scaled.getMetadata().getGeneration());
    }

    @Test
    void kilnControlPlaneScalesThroughItsScaleSubresource() {
        KilnControlPlane controlPlane = client.getKubernetesSerialization().unmarshal("""
                apiVersion: controlplane.cluster.x-k8s.io/v1alpha1
                kind: KilnControlPlane
                metadata: {name: scaled, namespace: default}
                spec:
                  replicas: 3
                  version: v1.31.0
                  machineTemplate:
                    spec:
                      infrastructureRef: {apiGroup: infrastructure.cluster.x-k8s.io, kind: KilnMachineTemplate, name: t}
                """, KilnControlPlane.class);
        client.resource(controlPlane).create();
        client.resources(KilnControlPlane.class).inNamespace("default").withName("scaled").scale(5);
        assertEquals(5, client.resources(KilnControlPlane.class).inNamespace("default").withName("scaled").get()
                .getSpec().getReplicas());
    }

    @Test
    void kindsWithoutAScaleSubresourceAnswerNotFound() {
        create(CLUSTERS, "no-scale", Map.of());
        KubernetesClientException refused = assertThrows(KubernetesClientException.class,
                () -> client.genericKubernetesResources(CLUSTERS).inNamespace("default").withName("no-scale").scale());
        assertEquals(404, refused.getCode());
    }
}
