package dev.kiln.machinery.config;

import static dev.kiln.machinery.config.TestConfigs.parseProblems;
import static dev.kiln.machinery.config.TestConfigs.rendered;
import static dev.kiln.machinery.config.TestConfigs.workerYaml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class YamlLimitsTest {

    private static final int LIMIT = 1024 * 1024;

    @Test
    void refusesTenMegabyteScalarBeforeParsingNamingTheBound() {
        String yaml = workerYaml() + "  hostname: " + "a".repeat(10 * 1024 * 1024) + "\n";
        assertEquals(List.of("(yaml): document is larger than 1048576 bytes (1 MiB), the limit for a config"),
                rendered(parseProblems(yaml)));
    }

    @Test
    void countsTheBoundInUtf8BytesNotCharacters() {
        String padding = "# " + "é".repeat(LIMIT / 2) + "\n";
        List<String> problems = rendered(parseProblems(padding + workerYaml()));
        assertEquals(List.of("(yaml): document is larger than 1048576 bytes (1 MiB), the limit for a config"), problems);
    }

    @Test
    void acceptsConfigJustUnderTheBound() {
        String yaml = workerYaml();
        String padding = "#" + "x".repeat(LIMIT - yaml.length() - 2) + "\n";
        assertEquals(LIMIT, (padding + yaml).length());
        TestConfigs.parseValid(padding + yaml);
    }

    @Test
    void refusesRecursiveAliasAsYamlProblemWithItsPath() {
        assertEquals(List.of("a.b: recursive alias: the value contains itself"),
                rendered(parseProblems("a: &a {b: *a}\n")));
    }

    @Test
    void refusesRecursiveAliasInsideAList() {
        assertEquals(List.of("machine.certSANs[0]: recursive alias: the value contains itself"),
                rendered(parseProblems("machine:\n  certSANs: &l\n    - *l\n")));
    }

    @Test
    void keepsExpandingNonRecursiveAliases() {
        String yaml = workerYaml().replace("machine:\n", "machine: &m\n")
                .replace("  type: worker\n", "  type: &t worker\n");
        assertEquals(TestConfigs.worker(), TestConfigs.parseValid(yaml));
    }

    @Test
    void refusesNestingDeeperThanAnyConfig() {
        String yaml = "a: " + "[".repeat(200) + "]".repeat(200) + "\n";
        List<String> problems = rendered(parseProblems(yaml));
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("(yaml): ") && problems.get(0).contains("Nesting Depth"),
                problems.toString());
    }

    @Test
    void acceptsTheLargestFlowListAOneMebibyteDocumentCanHold() {
        String list = "[" + "a,".repeat(LIMIT / 2 - 8) + "a]\n";
        List<String> problems = rendered(parseProblems("x: " + list));
        assertEquals("x: unknown key", problems.get(0), "read as a document, not refused as YAML");
    }

    @Test
    void refusesAliasExpansionBeyondTheValueBudget() {
        StringBuilder yaml = new StringBuilder("l0: &l0 [x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i <= 8; i++) {
            yaml.append("l").append(i).append(": &l").append(i).append(" [");
            for (int j = 0; j < 5; j++) {
                yaml.append(j == 0 ? "" : ", ").append("*l").append(i - 1);
            }
            yaml.append("]\n");
        }
        List<String> problems = rendered(parseProblems(yaml.toString()));
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).endsWith("document expands to more than 1000000 values (aliases)"),
                problems.toString());
    }
}
