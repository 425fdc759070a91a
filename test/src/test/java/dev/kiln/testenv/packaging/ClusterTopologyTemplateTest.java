package dev.kiln.testenv.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * clusterctl's topology flavor (cluster-template-topology.yaml) against the ClusterClass it names
 * (clusterclass-kiln.yaml, by clusterctl's naming rule) and the plain cluster-template.yaml it stands beside.
 */
class ClusterTopologyTemplateTest {

    private static final Path COMMITTED = Helm.REPO.resolve("clusterctl");
    private static final Map<String, String> VARIABLES = Map.of("CLUSTER_NAME", "prod", "NAMESPACE", "fleet",
            "KUBERNETES_VERSION", "v1.31.0", "CONTROL_PLANE_MACHINE_COUNT", "5", "WORKER_MACHINE_COUNT", "4",
            "CONTROL_PLANE_ENDPOINT_HOST", "10.0.0.10", "KILN_WORKER_SERVER_ROLE", "gpu");

    private static String read(String file) throws IOException {
        return Files.readString(COMMITTED.resolve(file));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> topology() throws IOException {
        List<HasMetadata> objects = RenderedManifests.parse(ClusterctlVariables.substitute(
                read("cluster-template-topology.yaml"), VARIABLES)).objects();
        assertEquals(1, objects.size(), "a topology template holds only its Cluster");
        assertEquals("Cluster", objects.get(0).getKind());
        Map<String, Object> cluster = new KubernetesSerialization().convertValue(objects.get(0), Map.class);
        return (Map<String, Object>) ((Map<String, Object>) cluster.get("spec")).get("topology");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> clusterClass() throws IOException {
        HasMetadata found = RenderedManifests.parse(read("clusterclass-kiln.yaml")).ofKind("ClusterClass").get(0);
        return new KubernetesSerialization().convertValue(found, Map.class);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theClassTheClusterNamesShipsInTheFileClusterctlLooksFor() throws IOException {
        String name = (String) ((Map<String, Object>) topology().get("classRef")).get("name");

        // clusterctl adds clusterclass-<name>.yaml from the provider's release when the class is not installed
        assertEquals(1, RenderedManifests.parse(read("clusterclass-" + name + ".yaml")).objects().stream()
                .filter(o -> o.getKind().equals("ClusterClass") && o.getMetadata().getName().equals(name)).count());
    }

    @Test
    @SuppressWarnings("unchecked")
    void theClustersVariablesAreExactlyTheClassVariablesWithTheGivenValues() throws IOException {
        Map<String, Object> values = new HashMap<>();
        ((List<Map<String, Object>>) topology().get("variables")).forEach(v -> values.put((String) v.get("name"),
                v.get("value")));
        Set<String> declared = ((List<Map<String, Object>>) ((Map<String, Object>) clusterClass().get("spec"))
                .get("variables")).stream().map(v -> (String) v.get("name")).collect(Collectors.toSet());

        assertEquals(declared, values.keySet());
        assertEquals(Map.of("controlPlaneEndpointHost", "10.0.0.10", "controlPlaneEndpointPort", 6443,
                "controlPlaneServerRole", "controlplane", "workerServerRole", "gpu"), values);
    }

    @Test
    @SuppressWarnings("unchecked")
    void replicasAndVersionComeFromClusterctlsVariables() throws IOException {
        Map<String, Object> topology = topology();

        assertEquals("v1.31.0", topology.get("version"));
        assertEquals(5, ((Map<String, Object>) topology.get("controlPlane")).get("replicas"));
        List<Map<String, Object>> workers = (List<Map<String, Object>>) ((Map<String, Object>) topology.get("workers"))
                .get("machineDeployments");
        assertEquals(List.of(Map.of("class", "worker", "name", "workers", "replicas", 4)), workers);
    }

    @Test
    void takesTheSameClusterctlVariablesAsTheDefaultTemplate() throws IOException {
        Map<String, String> plain = ClusterctlVariables.declared(read("cluster-template.yaml"));
        Map<String, String> topology = new HashMap<>(ClusterctlVariables.declared(read("cluster-template-topology.yaml")));

        assertEquals("\"\"", topology.remove("CLUSTER_CLASS_NAMESPACE"));
        assertEquals(new TreeSet<>(plain.entrySet().stream().map(Object::toString).toList()),
                new TreeSet<>(topology.entrySet().stream().map(Object::toString).toList()));
    }
}
