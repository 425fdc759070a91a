package dev.kiln.capi.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.kiln.capi.api.KilnApi;
import dev.kiln.capi.api.controlplane.v1alpha1.KilnControlPlane;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnCluster;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachineTemplate;
import dev.kiln.capi.crd.SchemaFit;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.zjsonpatch.JsonPatch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Cluster API's topology controller cannot run here, so this does what it does with clusterctl/clusterclass-kiln.yaml:
 * apply the class's patches with a Cluster's variables, clone each template's spec.template.spec, add what the
 * topology sets, and checks the objects Kiln would then reconcile are valid.
 */
class ClusterClassTopologyTest {

    private static final Path CLASS_FILE = Path.of(System.getProperty("kiln.repo", ".."))
            .resolve("clusterctl/clusterclass-kiln.yaml");
    private static final Map<String, Object> CLUSTER_VARIABLES = Map.of("controlPlaneEndpointHost", "10.0.0.10",
            "workerServerRole", "gpu");

    private static List<JsonNode> documents() throws IOException {
        try (var parser = new YAMLMapper().createParser(Files.readString(CLASS_FILE))) {
            return new YAMLMapper().readValues(parser, JsonNode.class).readAll();
        }
    }

    private static JsonNode clusterClass() throws IOException {
        return documents().stream().filter(d -> "ClusterClass".equals(d.path("kind").asText())).findFirst()
                .orElseThrow();
    }

    private static JsonNode template(JsonNode templateRef) throws IOException {
        return documents().stream().filter(d -> d.path("apiVersion").equals(templateRef.path("apiVersion"))
                && d.path("kind").equals(templateRef.path("kind")) && d.path("metadata").path("name")
                .equals(templateRef.path("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("clusterclass-kiln.yaml has no " + templateRef));
    }

    /** The class's variable defaults overlaid with the Cluster's values, as the topology controller resolves them. */
    private static Map<String, JsonNode> variables() throws IOException {
        Map<String, JsonNode> values = new HashMap<>();
        for (JsonNode variable : clusterClass().path("spec").path("variables")) {
            JsonNode fallback = variable.path("schema").path("openAPIV3Schema").path("default");
            if (!fallback.isMissingNode()) {
                values.put(variable.path("name").asText(), fallback);
            }
        }
        CLUSTER_VARIABLES.forEach((name, value) -> values.put(name, Serialization.jsonMapper().valueToTree(value)));
        return values;
    }

    /** Applies the patches whose selector picks this template in the given role, then clones spec.template.spec. */
    private static JsonNode patchedSpec(JsonNode templateRef, Predicate<JsonNode> role) throws IOException {
        JsonNode template = template(templateRef).deepCopy();
        Map<String, JsonNode> variables = variables();
        for (JsonNode patch : clusterClass().path("spec").path("patches")) {
            for (JsonNode definition : patch.path("definitions")) {
                JsonNode selector = definition.path("selector");
                if (selector.path("apiVersion").equals(templateRef.path("apiVersion"))
                        && selector.path("kind").equals(templateRef.path("kind"))
                        && role.test(selector.path("matchResources"))) {
                    ArrayNode operations = JsonNodeFactory.instance.arrayNode();
                    for (JsonNode jsonPatch : definition.path("jsonPatches")) {
                        ObjectNode operation = jsonPatch.deepCopy();
                        operation.remove("valueFrom");
                        String variable = jsonPatch.path("valueFrom").path("variable").asText();
                        operation.set("value", Optional.ofNullable(variables.get(variable)).orElseThrow(
                                () -> new AssertionError("patch " + patch.path("name") + " uses unset " + variable)));
                        operations.add(operation);
                    }
                    template = JsonPatch.apply(operations, template);
                }
            }
        }
        return template.path("spec").path("template").path("spec").deepCopy();
    }

    private static ObjectNode object(Class<? extends HasMetadata> kind, JsonNode spec) {
        ObjectNode object = JsonNodeFactory.instance.objectNode();
        object.put("apiVersion", HasMetadata.getApiVersion(kind));
        object.put("kind", HasMetadata.getKind(kind));
        object.putObject("metadata").put("name", "prod-abcde").put("namespace", "fleet");
        object.set("spec", spec);
        return object;
    }

    @Test
    void theClonedKilnClusterFitsItsSchemaAndCarriesTheClustersEndpoint() throws IOException {
        JsonNode ref = clusterClass().path("spec").path("infrastructure").path("templateRef");
        ObjectNode kilnCluster = object(KilnCluster.class,
                patchedSpec(ref, match -> match.path("infrastructureCluster").asBoolean()));

        assertEquals(List.of(), SchemaFit.problems(kilnCluster, KilnCluster.class));
        KilnCluster typed = Serialization.jsonMapper().convertValue(kilnCluster, KilnCluster.class);
        assertEquals("10.0.0.10", typed.getSpec().getControlPlaneEndpoint().getHost());
        assertEquals(6443, typed.getSpec().getControlPlaneEndpoint().getPort());
    }

    @Test
    void theClonedKilnControlPlaneWithTopologyFieldsFitsItsSchemaAndPassesTheSpecCheck() throws IOException {
        JsonNode controlPlaneClass = clusterClass().path("spec").path("controlPlane");
        ObjectNode spec = (ObjectNode) patchedSpec(controlPlaneClass.path("templateRef"),
                match -> match.path("controlPlane").asBoolean());
        // What the topology controller adds from Cluster.spec.topology and the cloned machine infrastructure template.
        String machineApiVersion = controlPlaneClass.path("machineInfrastructure").path("templateRef")
                .path("apiVersion").asText();
        spec.put("replicas", 3);
        spec.put("version", "v1.31.0");
        spec.with("machineTemplate").with("spec").putObject("infrastructureRef")
                .put("apiGroup", machineApiVersion.substring(0, machineApiVersion.indexOf('/')))
                .put("kind", controlPlaneClass.path("machineInfrastructure").path("templateRef").path("kind").asText())
                .put("name", "prod-control-plane-fghij");
        ObjectNode controlPlane = object(KilnControlPlane.class, spec);

        assertEquals(List.of(), SchemaFit.problems(controlPlane, KilnControlPlane.class));
        KilnControlPlane typed = Serialization.jsonMapper().convertValue(controlPlane, KilnControlPlane.class);
        assertEquals(List.of(), ControlPlaneSpecCheck.problems(typed.getSpec()));
    }

    @Test
    void theClonedMachineTemplatesFitTheirSchemaAndSelectTheVariablesServerRoles() throws IOException {
        JsonNode spec = clusterClass().path("spec");
        JsonNode controlPlaneMachines = patchedSpec(spec.path("controlPlane").path("machineInfrastructure")
                .path("templateRef"), match -> match.path("controlPlane").asBoolean());
        JsonNode workerClass = spec.path("workers").path("machineDeployments").get(0);
        JsonNode workerMachines = patchedSpec(workerClass.path("infrastructure").path("templateRef"),
                match -> match.path("machineDeploymentClass").path("names").toString()
                        .contains("\"" + workerClass.path("class").asText() + "\""));

        for (JsonNode machineSpec : List.of(controlPlaneMachines, workerMachines)) {
            ObjectNode template = object(KilnMachineTemplate.class, JsonNodeFactory.instance.objectNode());
            template.with("spec").with("template").set("spec", machineSpec);
            assertEquals(List.of(), SchemaFit.problems(template, KilnMachineTemplate.class));
        }
        assertEquals("controlplane", controlPlaneMachines.at("/serverSelector/matchLabels/role").asText());
        assertEquals("gpu", workerMachines.at("/serverSelector/matchLabels/role").asText());
    }

    @Test
    void everyTemplateTheClassNamesIsAKilnKindAtItsServedApiVersionAndShipsInTheFile() throws IOException {
        List<JsonNode> refs = new ArrayList<>();
        clusterClass().findParents("templateRef").forEach(parent -> refs.add(parent.path("templateRef")));
        clusterClass().path("spec").path("patches").findValues("selector").forEach(refs::add);

        assertEquals(8, refs.size(), "templateRefs and patch selectors: " + refs);
        for (JsonNode ref : refs) {
            assertTrue(KilnApi.KINDS.stream().anyMatch(kind -> HasMetadata.getApiVersion(kind)
                    .equals(ref.path("apiVersion").asText()) && HasMetadata.getKind(kind)
                    .equals(ref.path("kind").asText())), ref + " is not a Kiln kind at its served apiVersion");
            if (ref.has("name")) {
                template(ref);
            }
        }
    }

    @Test
    void theDefinitionCarriesNeitherClusterctlVariablesNorNamespaces() throws IOException {
        assertTrue(!Files.readString(CLASS_FILE).contains("${"), "clusterctl variables in " + CLASS_FILE);
        for (JsonNode document : documents()) {
            assertTrue(document.path("metadata").path("namespace").isMissingNode(), document.path("metadata") + "");
            assertTrue(document.findValues("namespace").isEmpty(), document.path("metadata").path("name") + "");
        }
    }
}
