package dev.kiln.testenv.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * clusterctl's provider components (clusterctl/, written by hack/update-clusterctl from the chart and crds/) against
 * the Cluster API provider contract, rendered with sample variables and with their defaults.
 */
class ClusterctlComponentsTest {

    private static final Path COMMITTED = Helm.REPO.resolve("clusterctl");
    private static final Path METADATA = Helm.REPO.resolve("metadata.yaml");
    private static final String PROVIDER_LABEL = "cluster.x-k8s.io/provider";

    /** clusterctl's provider types: file prefix, --controllers name and the API group of the provider's CRDs. */
    enum Provider {
        BOOTSTRAP("bootstrap", "bootstrap"),
        CONTROL_PLANE("control-plane", "controlplane"),
        INFRASTRUCTURE("infrastructure", "infrastructure");

        final String type;
        final String controllers;

        Provider(String type, String controllers) {
            this.type = type;
            this.controllers = controllers;
        }

        String label() {
            return type + "-kiln";
        }

        String group() {
            return controllers + ".cluster.x-k8s.io";
        }

        Path file() {
            return COMMITTED.resolve(type + "-components.yaml");
        }
    }

    private static final Map<String, String> SAMPLE = Map.of(
            "KILN_IMAGE_REPOSITORY", "registry.example.com/kiln/kiln-operator",
            "KILN_IMAGE_TAG", "0.1.0-rc.1",
            "KILN_REPLICAS", "3",
            "KILN_WATCH_NAMESPACE", "tenants",
            "KILN_WATCH_FILTER", "team-a",
            "KILN_LOG_LEVEL", "debug");

    private static RenderedManifests render(Provider provider, Map<String, String> variables) throws IOException {
        return RenderedManifests.parse(ClusterctlVariables.substitute(Files.readString(provider.file()), variables));
    }

    private static Container manager(RenderedManifests components) {
        List<Container> containers = components.one(Deployment.class).getSpec().getTemplate().getSpec().getContainers();
        assertEquals(1, containers.size());
        return containers.get(0);
    }

    @Test
    void committedComponentsAreWhatHackUpdateClusterctlWrites() throws IOException {
        Path fresh = Path.of("target/clusterctl-fresh").toAbsolutePath();
        Helm.script("hack/update-clusterctl", "--output", fresh.toString());
        List<String> stale = new ArrayList<>();
        for (Provider provider : Provider.values()) {
            Path want = fresh.resolve(provider.file().getFileName());
            if (!Files.isRegularFile(provider.file()) || Files.mismatch(want, provider.file()) != -1) {
                stale.add("clusterctl/" + provider.file().getFileName());
            }
        }
        assertEquals(List.of(), stale, "clusterctl/ is stale: run hack/update-clusterctl");
    }

    @ParameterizedTest
    @EnumSource(Provider.class)
    void eachProviderHasExactlyOneNamespace(Provider provider) throws IOException {
        List<Namespace> namespaces = render(provider, SAMPLE).all(Namespace.class);
        assertEquals(1, namespaces.size(), provider.file() + " Namespaces");
        assertEquals("kiln-" + provider.type + "-system", namespaces.get(0).getMetadata().getName());
        for (HasMetadata object : render(provider, SAMPLE).objects()) {
            String namespace = object.getMetadata().getNamespace();
            assertTrue(namespace == null || namespace.equals(namespaces.get(0).getMetadata().getName()),
                    object.getKind() + " " + object.getMetadata().getName() + " is in namespace " + namespace);
        }
    }

    @ParameterizedTest
    @EnumSource(Provider.class)
    void everyObjectCarriesTheProviderLabel(Provider provider) throws IOException {
        for (HasMetadata object : render(provider, SAMPLE).objects()) {
            Map<String, String> labels = object.getMetadata().getLabels();
            assertEquals(provider.label(), labels == null ? null : labels.get(PROVIDER_LABEL),
                    object.getKind() + " " + object.getMetadata().getName());
        }
    }

    @ParameterizedTest
    @EnumSource(Provider.class)
    void crdsAreTheProvidersOwnAndCarryTheContractsOfMetadataYaml(Provider provider) throws IOException {
        Set<String> contracts = contracts();
        List<CustomResourceDefinition> crds = render(provider, SAMPLE).all(CustomResourceDefinition.class);
        assertFalse(crds.isEmpty(), provider.file() + " has no CRDs");
        for (CustomResourceDefinition crd : crds) {
            String name = crd.getMetadata().getName();
            assertEquals(provider.group(), crd.getSpec().getGroup(), name);
            Set<String> served = crd.getSpec().getVersions().stream().filter(CustomResourceDefinitionVersion::getServed)
                    .map(CustomResourceDefinitionVersion::getName).collect(Collectors.toSet());
            for (String contract : contracts) {
                String versions = crd.getMetadata().getLabels().get("cluster.x-k8s.io/" + contract);
                assertNotNull(versions, name + " lacks the label for contract " + contract + " of metadata.yaml");
                for (String version : versions.split("_")) {
                    assertTrue(served.contains(version), name + ": contract " + contract + " names " + version
                            + ", which it does not serve " + served);
                }
            }
        }
    }

    @Test
    void everyKilnCrdShipsWithExactlyOneProvider() throws IOException {
        List<String> shipped = new ArrayList<>();
        for (Provider provider : Provider.values()) {
            render(provider, SAMPLE).all(CustomResourceDefinition.class)
                    .forEach(crd -> shipped.add(crd.getMetadata().getName()));
        }
        List<String> committed;
        try (Stream<Path> files = Files.list(Helm.REPO.resolve("crds"))) {
            committed = files.map(f -> f.getFileName().toString().replaceFirst("\\.yaml$", "")).sorted().toList();
        }
        assertEquals(committed, shipped.stream().sorted().toList());
    }

    @ParameterizedTest
    @EnumSource(Provider.class)
    void theManagerContainerRunsOnlyItsProvidersControllersWithLeaderElection(Provider provider) throws IOException {
        Container manager = manager(render(provider, SAMPLE));
        assertEquals("manager", manager.getName());
        List<String> args = manager.getArgs();
        assertEquals(provider.controllers, args.get(args.indexOf("--controllers") + 1));
        assertEquals("on", args.get(args.indexOf("--leader-election") + 1));
    }

    @ParameterizedTest
    @EnumSource(Provider.class)
    void sampleVariablesReachTheDeployment(Provider provider) throws IOException {
        RenderedManifests components = render(provider, SAMPLE);
        Deployment deployment = components.one(Deployment.class);
        Container manager = manager(components);
        assertEquals(3, deployment.getSpec().getReplicas());
        assertEquals("registry.example.com/kiln/kiln-operator:0.1.0-rc.1", manager.getImage());
        assertEquals("tenants", env(manager).get("KILN_NAMESPACE"));
        assertEquals("team-a", env(manager).get("KILN_WATCH_FILTER"));
        assertTrue(env(manager).get("JAVA_TOOL_OPTIONS").contains("-Dorg.slf4j.simpleLogger.defaultLogLevel=debug"));
    }

    @ParameterizedTest
    @EnumSource(Provider.class)
    void everyVariableHasADefault(Provider provider) throws IOException {
        Map<String, String> declared = ClusterctlVariables.declared(Files.readString(provider.file()));
        assertEquals(SAMPLE.keySet(), declared.keySet());
        declared.forEach((name, fallback) -> assertNotNull(fallback, name + " has no ${" + name + ":=default}"));

        RenderedManifests defaults = render(provider, Map.of());
        Container manager = manager(defaults);
        assertEquals(2, defaults.one(Deployment.class).getSpec().getReplicas());
        assertTrue(manager.getImage().startsWith("kiln-operator:"), manager.getImage());
        assertEquals("", env(manager).get("KILN_NAMESPACE"));
        assertEquals("", env(manager).get("KILN_WATCH_FILTER"));
    }

    @Test
    void clusterTemplateRendersAKilnClusterOfTheGivenSizes() throws IOException {
        String template = Files.readString(COMMITTED.resolve("cluster-template.yaml"));
        Map<String, String> variables = new HashMap<>(Map.of("CLUSTER_NAME", "prod", "NAMESPACE", "fleet",
                "KUBERNETES_VERSION", "v1.31.0", "CONTROL_PLANE_MACHINE_COUNT", "5", "WORKER_MACHINE_COUNT", "4",
                "CONTROL_PLANE_ENDPOINT_HOST", "10.0.0.10"));
        RenderedManifests cluster = RenderedManifests.parse(ClusterctlVariables.substitute(template, variables));

        Set<String> kinds = cluster.objects().stream().map(HasMetadata::getKind).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(Set.of("Cluster", "KilnCluster", "KilnControlPlane", "KilnMachineTemplate", "MachineDeployment",
                "KilnConfigTemplate"), kinds);
        for (HasMetadata object : cluster.objects()) {
            assertEquals("fleet", object.getMetadata().getNamespace(), object.getKind());
            assertTrue(object.getMetadata().getName().startsWith("prod"), object.getMetadata().getName());
        }
        Map<String, Object> controlPlane = spec(cluster.find("KilnControlPlane", "prod").orElseThrow());
        assertEquals(5, controlPlane.get("replicas"));
        assertEquals(4, spec(cluster.find("MachineDeployment", "prod-workers").orElseThrow()).get("replicas"));
        Map<?, ?> endpoint = (Map<?, ?>) spec(cluster.find("KilnCluster", "prod").orElseThrow()).get("controlPlaneEndpoint");
        assertEquals(Map.of("host", "10.0.0.10", "port", 6443), endpoint);
    }

    @Test
    void clusterTemplateNamesAMissingEndpoint() throws IOException {
        String template = Files.readString(COMMITTED.resolve("cluster-template.yaml"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClusterctlVariables
                .substitute(template, Map.of("CLUSTER_NAME", "prod", "NAMESPACE", "fleet", "KUBERNETES_VERSION", "v1.31.0")));
        assertEquals("variables without a value or default: [CONTROL_PLANE_ENDPOINT_HOST]", e.getMessage());
    }

    private static Map<String, String> env(Container container) {
        return container.getEnv().stream().filter(e -> e.getValue() != null)
                .collect(Collectors.toMap(e -> e.getName(), e -> e.getValue()));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> spec(HasMetadata object) {
        return (Map<String, Object>) new KubernetesSerialization().convertValue(object, Map.class).get("spec");
    }

    @SuppressWarnings("unchecked")
    private static Set<String> contracts() throws IOException {
        Map<String, Object> metadata = new KubernetesSerialization().unmarshal(Files.readString(METADATA), Map.class);
        List<Map<String, Object>> series = (List<Map<String, Object>>) metadata.get("releaseSeries");
        assertFalse(series == null || series.isEmpty(), "metadata.yaml has no releaseSeries");
        return series.stream().map(s -> (String) s.get("contract")).collect(Collectors.toCollection(TreeSet::new));
    }
}
