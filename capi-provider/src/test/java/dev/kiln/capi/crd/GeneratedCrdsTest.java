package dev.kiln.capi.crd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.kiln.capi.api.KilnApi;
import dev.kiln.capi.api.bootstrap.v1alpha1.KilnConfigTemplate;
import dev.kiln.capi.api.controlplane.v1alpha1.KilnControlPlane;
import dev.kiln.capi.api.controlplane.v1alpha1.KilnControlPlaneTemplate;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnClusterTemplate;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachineTemplate;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnServer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceSubresourceScale;
import java.io.IOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class GeneratedCrdsTest {
    private static final Set<Class<?>> WITHOUT_STATUS = Set.of(KilnConfigTemplate.class, KilnMachineTemplate.class,
            KilnControlPlaneTemplate.class, KilnClusterTemplate.class);
    private static final Map<String, String> PROVIDER_BY_GROUP = Map.of(
            "bootstrap.cluster.x-k8s.io", "bootstrap-kiln",
            "controlplane.cluster.x-k8s.io", "control-plane-kiln",
            "infrastructure.cluster.x-k8s.io", "infrastructure-kiln");

    static Stream<Class<? extends HasMetadata>> kinds() {
        return KilnApi.KINDS.stream();
    }

    private static CustomResourceDefinitionVersion onlyVersion(CustomResourceDefinition crd) {
        assertEquals(1, crd.getSpec().getVersions().size());
        return crd.getSpec().getVersions().get(0);
    }

    @Test
    void crdsDirectoryHoldsOneFilePerKindAndNothingElse() throws IOException {
        Set<String> expected = KilnApi.KINDS.stream().map(CommittedCrds::fileName).collect(Collectors.toSet());
        try (Stream<java.nio.file.Path> files = Files.list(CommittedCrds.dir())) {
            assertEquals(expected, files.map(p -> p.getFileName().toString()).collect(Collectors.toSet()));
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void namesGroupAndScopeMatchTheJavaType(Class<? extends HasMetadata> kind) {
        CustomResourceDefinition crd = CommittedCrds.of(kind);

        assertEquals(HasMetadata.getPlural(kind) + "." + HasMetadata.getGroup(kind), crd.getMetadata().getName());
        assertEquals(HasMetadata.getGroup(kind), crd.getSpec().getGroup());
        assertEquals(kind.getSimpleName(), crd.getSpec().getNames().getKind());
        assertEquals(kind.getSimpleName().toLowerCase() + "s", crd.getSpec().getNames().getPlural());
        assertEquals("Namespaced", crd.getSpec().getScope());
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void servesAndStoresV1alpha1(Class<? extends HasMetadata> kind) {
        CustomResourceDefinitionVersion version = onlyVersion(CommittedCrds.of(kind));

        assertEquals("v1alpha1", version.getName());
        assertEquals(true, version.getServed());
        assertEquals(true, version.getStorage());
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void statusSubresourceExactlyWhereTheKindHasStatus(Class<? extends HasMetadata> kind) {
        CustomResourceDefinitionVersion version = onlyVersion(CommittedCrds.of(kind));
        boolean hasStatus = !WITHOUT_STATUS.contains(kind);

        assertEquals(hasStatus, version.getSubresources() != null && version.getSubresources().getStatus() != null);
        assertEquals(hasStatus, version.getSchema().getOpenAPIV3Schema().getProperties().containsKey("status"));
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void carriesTheV1beta2ContractLabelAndItsProviderLabel(Class<? extends HasMetadata> kind) {
        Map<String, String> labels = CommittedCrds.of(kind).getMetadata().getLabels();

        Map<String, String> contract = new HashMap<>(labels);
        contract.remove("clusterctl.cluster.x-k8s.io/move");
        assertEquals(Map.of(
                "cluster.x-k8s.io/v1beta2", "v1alpha1",
                "cluster.x-k8s.io/provider", PROVIDER_BY_GROUP.get(HasMetadata.getGroup(kind))), contract);
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void onlyTheServerInventoryIsMovedByCrdLabelTheRestThroughOwnerReferences(Class<? extends HasMetadata> kind) {
        Map<String, String> labels = CommittedCrds.of(kind).getMetadata().getLabels();

        assertEquals(kind == KilnServer.class, labels.containsKey("clusterctl.cluster.x-k8s.io/move"), kind.getName());
    }

    @Test
    void controlPlaneHasScaleSubresourceOnReplicasAndSelector() {
        CustomResourceSubresourceScale scale = onlyVersion(CommittedCrds.of(KilnControlPlane.class)).getSubresources().getScale();

        assertEquals(".spec.replicas", scale.getSpecReplicasPath());
        assertEquals(".status.replicas", scale.getStatusReplicasPath());
        assertEquals(".status.selector", scale.getLabelSelectorPath());
    }

    @Test
    void onlyTheControlPlaneScales() {
        KilnApi.KINDS.stream().filter(k -> k != KilnControlPlane.class).forEach(kind -> {
            CustomResourceDefinitionVersion version = onlyVersion(CommittedCrds.of(kind));
            assertNull(version.getSubresources() == null ? null : version.getSubresources().getScale(), kind.getSimpleName());
        });
    }

    @Test
    void controlPlanePrinterColumnsInReadingOrder() {
        List<CustomResourceColumnDefinition> columns = onlyVersion(CommittedCrds.of(KilnControlPlane.class)).getAdditionalPrinterColumns();

        assertEquals(List.of("Ready", "Initialized", "Replicas", "Ready Replicas", "Updated", "Version", "Age"),
                columns.stream().map(CustomResourceColumnDefinition::getName).collect(Collectors.toList()));
        assertEquals(List.of(".status.ready", ".status.initialized", ".status.replicas", ".status.readyReplicas",
                        ".status.updatedReplicas", ".spec.version", ".metadata.creationTimestamp"),
                columns.stream().map(CustomResourceColumnDefinition::getJsonPath).collect(Collectors.toList()));
        assertEquals("date", columns.get(6).getType());
    }

    @Test
    void serverPrinterColumnsShowAddressClaimAndMachine() {
        List<CustomResourceColumnDefinition> columns = onlyVersion(CommittedCrds.of(KilnServer.class)).getAdditionalPrinterColumns();

        assertEquals(List.of("Address", "InUse", "Clean", "Machine"),
                columns.stream().map(CustomResourceColumnDefinition::getName).collect(Collectors.toList()));
        assertEquals(".status.machineRef.name", columns.get(3).getJsonPath());
    }

    @Test
    void controlPlaneShortNameAvoidsKubeadmsKcp() {
        assertEquals(List.of("kilncp"), CommittedCrds.of(KilnControlPlane.class).getSpec().getNames().getShortNames());
    }

    @Test
    void controlPlaneReplicasDefaultToOne() {
        var replicas = onlyVersion(CommittedCrds.of(KilnControlPlane.class))
                .getSchema().getOpenAPIV3Schema().getProperties().get("spec").getProperties().get("replicas");

        assertNotNull(replicas.getDefault());
        assertEquals(1, replicas.getDefault().asInt());
    }
}
