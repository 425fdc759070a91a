package dev.kiln.capi.crd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.capi.api.KilnApi;
import dev.kiln.capi.api.Samples;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/** clusterctl's metadata.yaml and the CRDs' contract labels must tell the same story. */
class MetadataContractTest {
    private static final String CONTRACT_LABEL_PREFIX = "cluster.x-k8s.io/v";

    private static JsonNode metadata() throws IOException {
        return Samples.tree(Files.readString(Path.of(System.getProperty("kiln.metadata.file", "../metadata.yaml"))));
    }

    /** The release series this build belongs to, from the Maven version (0.1.0-SNAPSHOT is series 0.1). */
    private static JsonNode currentSeries(JsonNode metadata) {
        String[] version = System.getProperty("kiln.version", "0.1.0").split("[.-]");
        return StreamSupport.stream(metadata.get("releaseSeries").spliterator(), false)
                .filter(s -> s.get("major").asText().equals(version[0]) && s.get("minor").asText().equals(version[1]))
                .findFirst()
                .orElseThrow(() -> new AssertionError("metadata.yaml has no release series " + version[0] + "." + version[1]));
    }

    @Test
    void isClusterctlMetadata() throws IOException {
        JsonNode metadata = metadata();

        assertEquals("clusterctl.cluster.x-k8s.io/v1alpha3", metadata.get("apiVersion").asText());
        assertEquals("Metadata", metadata.get("kind").asText());
    }

    @Test
    void contractOfTheCurrentSeriesIsLabelledOnEveryCrdWithItsStorageVersion() throws IOException {
        String contract = currentSeries(metadata()).get("contract").asText();

        for (Class<? extends HasMetadata> kind : KilnApi.KINDS) {
            CustomResourceDefinition crd = CommittedCrds.of(kind);
            String storage = crd.getSpec().getVersions().stream().filter(CustomResourceDefinitionVersion::getStorage)
                    .findFirst().orElseThrow().getName();
            String label = crd.getMetadata().getLabels().getOrDefault("cluster.x-k8s.io/" + contract, "");
            assertTrue(List.of(label.split("_")).contains(storage), crd.getMetadata().getName() + " lacks " + contract);
        }
    }

    @Test
    void noCrdClaimsAContractMetadataYamlDoesNotDeclare() throws IOException {
        List<String> declared = StreamSupport.stream(metadata().get("releaseSeries").spliterator(), false)
                .map(series -> CONTRACT_LABEL_PREFIX.substring(0, CONTRACT_LABEL_PREFIX.length() - 1)
                        + series.get("contract").asText())
                .toList();

        for (Class<? extends HasMetadata> kind : KilnApi.KINDS) {
            CustomResourceDefinition crd = CommittedCrds.of(kind);
            for (String label : crd.getMetadata().getLabels().keySet()) {
                if (label.startsWith(CONTRACT_LABEL_PREFIX)) {
                    assertTrue(declared.contains(label), crd.getMetadata().getName() + " claims " + label);
                }
            }
        }
    }

    @Test
    void everyContractLabelNamesOnlyServedVersions() {
        for (Class<? extends HasMetadata> kind : KilnApi.KINDS) {
            CustomResourceDefinition crd = CommittedCrds.of(kind);
            List<String> served = crd.getSpec().getVersions().stream().filter(CustomResourceDefinitionVersion::getServed)
                    .map(CustomResourceDefinitionVersion::getName).collect(Collectors.toList());
            for (Map.Entry<String, String> label : crd.getMetadata().getLabels().entrySet()) {
                if (label.getKey().startsWith(CONTRACT_LABEL_PREFIX)) {
                    for (String version : label.getValue().split("_")) {
                        assertTrue(served.contains(version), crd.getMetadata().getName() + " " + label + " names " + version);
                    }
                }
            }
        }
    }
}
