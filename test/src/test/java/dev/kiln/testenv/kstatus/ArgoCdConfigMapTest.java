package dev.kiln.testenv.kstatus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The argocd-cm patch and the docs page shipped in docs/ carry exactly the scripts of docs/argocd. */
class ArgoCdConfigMapTest {

    private static final Path PATCH = ArgoHealth.SCRIPTS.resolve("argocd-cm-patch.yaml");
    private static final Path PAGE = ArgoHealth.SCRIPTS.resolveSibling("argocd.md");

    @Test
    void thePatchHoldsEveryScriptVerbatim() throws IOException {
        String expected = patch(scripts());
        Path written = Path.of("target", "argocd-cm-patch.yaml");
        Files.writeString(written, expected);
        assertEquals(expected, Files.readString(PATCH), PATCH + " is stale; copy " + written.toAbsolutePath());
    }

    @Test
    void thePatchReadAsYamlGivesBackEachScript() throws IOException {
        Map<?, ?> data = (Map<?, ?>) new ObjectMapper(new YAMLFactory()).readValue(PATCH.toFile(), Map.class)
                .get("data");
        for (Path script : scripts()) {
            assertEquals(Files.readString(script), data.get("resource.customizations.health."
                    + script.getFileName().toString().replace(".lua", "")), script.toString());
        }
        assertEquals(scripts().size(), data.size());
    }

    @Test
    void theDocsPageNamesEveryScriptAndItsConfigMapKey() throws IOException {
        String page = Files.readString(PAGE);
        for (Path script : scripts()) {
            String name = script.getFileName().toString();
            assertTrue(page.contains("argocd/" + name), PAGE + " does not link " + name);
            assertTrue(page.contains("resource.customizations.health." + name.replace(".lua", "")),
                    PAGE + " does not name the argocd-cm key of " + name);
        }
    }

    private static List<Path> scripts() throws IOException {
        try (var files = Files.list(ArgoHealth.SCRIPTS)) {
            return files.filter(p -> p.toString().endsWith(".lua")).sorted().toList();
        }
    }

    private static String patch(List<Path> scripts) throws IOException {
        StringBuilder yaml = new StringBuilder("# Generated from the *.lua files beside it; merge into Argo CD's argocd-cm:\n"
                + "#   kubectl -n argocd patch configmap argocd-cm --type merge --patch-file argocd-cm-patch.yaml\n"
                + "data:\n");
        for (Path script : scripts) {
            yaml.append("  resource.customizations.health.")
                    .append(script.getFileName().toString().replace(".lua", "")).append(": |\n");
            for (String line : Files.readAllLines(script)) {
                yaml.append(line.isEmpty() ? "" : "    " + line).append('\n');
            }
        }
        return yaml.toString();
    }
}
