package dev.kiln.machinery.yaml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class YamlMappingTest {

    @Test
    void duplicateKeysAreReportedAsDocumentProblems() {
        YamlProblems problems = new YamlProblems();

        YamlMapping.parse("a: 1\na: 2\n", problems);

        assertEquals(1, problems.list().size());
        assertTrue(problems.list().get(0).contains("duplicate key a"), problems.list().get(0));
    }

    @Test
    void nestedProblemsCarryTheirDottedPath() {
        YamlProblems problems = new YamlProblems();
        YamlMapping root = YamlMapping.parse("outer:\n  inner:\n    value: [x]\n", problems);

        root.requiredMapping("outer").requiredMapping("inner").requiredString("value");

        assertEquals(List.of("outer.inner.value: must be a string"), problems.list());
    }

    @Test
    void missingParentIsReportedOnceNotForEachChild() {
        YamlProblems problems = new YamlProblems();
        YamlMapping root = YamlMapping.parse("other: x\n", problems);

        YamlMapping missing = root.requiredMapping("outer");
        missing.requiredString("a");
        missing.requiredString("b");
        root.optionalString("other");

        assertEquals(List.of("outer: is required"), problems.list());
    }

    @Test
    void rootThatIsNotAMappingIsReported() {
        YamlProblems problems = new YamlProblems();

        YamlMapping.parse("- a\n- b\n", problems);

        assertEquals(List.of("(document): must be a mapping"), problems.list());
    }
}
