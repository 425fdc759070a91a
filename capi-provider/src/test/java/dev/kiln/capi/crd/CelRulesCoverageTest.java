package dev.kiln.capi.crd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.capi.api.Samples;
import dev.kiln.capi.crd.CelRuleEvaluator.Verdict;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Holds every CEL rule in crds/ to the same bar, so that a new rule cannot ship untested: it compiles, its message
 * names its field, its fieldPath exists, it stays within Kubernetes' cost budget by working only on bounded strings
 * and lists, the sample manifests pass it, and some table row shows it accepting a value and another refusing one.
 */
class CelRulesCoverageTest {
    // self.a.b.matches(...) and friends: the value a regex or a loop works on.
    private static final Pattern COSTLY_CALL = Pattern.compile(
            "\\b((?:self|oldSelf)(?:\\.[A-Za-z_][A-Za-z0-9_]*)*)\\.(matches|all|exists|exists_one|map|filter)\\(");

    static Stream<CelRule> rules() {
        return CrdCelRules.all().stream();
    }

    @Test
    void crdsCarryRules() {
        assertFalse(CrdCelRules.all().isEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void ruleCompiles(CelRule rule) {
        assertNotNull(CelRuleEvaluator.compile(rule));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void ruleHasAnAcceptedAndARefusedSample(CelRule rule) {
        List<RuleCase> rows = RuleTables.all().stream().filter(row -> row.rule().equals(rule)).toList();

        assertTrue(rows.stream().anyMatch(row -> row.allowed() && row.holds()),
                "no table row shows " + rule + " accepting a value");
        assertTrue(rows.stream().anyMatch(row -> !row.allowed() && row.holds()),
                "no table row shows " + rule + " refusing a value");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void messageNamesTheReportedField(CelRule rule) {
        List<String> steps = CrdCelRules.steps(rule.reportedField());
        String field = steps.isEmpty() ? "" : steps.get(steps.size() - 1);

        assertFalse(field.isEmpty() || field.equals(CrdCelRules.ANY_ITEM), rule + ": give it a fieldPath");
        assertTrue(rule.message().contains(field), rule + " should name " + field);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void fieldPathIsInTheSchema(CelRule rule) {
        assertNotNull(CrdCelRules.schemaAt(rootOf(rule), rule.reportedField()), rule + ": no " + rule.reportedField());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void regexesAndLoopsWorkOnBoundedValues(CelRule rule) {
        List<String> unbounded = new ArrayList<>();
        Matcher call = COSTLY_CALL.matcher(rule.rule());
        while (call.find()) {
            String receiver = call.group(1).replaceFirst("^(self|oldSelf)", "");
            JSONSchemaProps schema = CrdCelRules.schemaAt(rootOf(rule), rule.path() + receiver);
            boolean bounded = schema != null && (schema.getMaxLength() != null || schema.getMaxItems() != null
                    || schema.getMaxProperties() != null);
            if (!bounded) {
                unbounded.add(call.group(1) + "." + call.group(2));
            }
        }
        assertEquals(List.of(), unbounded, rule + ": give these a maxLength, maxItems or maxProperties");
    }

    // The API server multiplies a rule's cost by how often it may run; under an unbounded list that is priced from
    // the largest request.
    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void listsAroundARuleAreBounded(CelRule rule) {
        List<String> unbounded = new ArrayList<>();
        String path = rule.path();
        for (int item = path.indexOf(CrdCelRules.ANY_ITEM); item >= 0; item = path.indexOf(CrdCelRules.ANY_ITEM, item + 1)) {
            JSONSchemaProps list = CrdCelRules.schemaAt(rootOf(rule), path.substring(0, item));
            if (list == null || (list.getMaxItems() == null && list.getMaxProperties() == null)) {
                unbounded.add(path.substring(0, item));
            }
        }
        assertEquals(List.of(), unbounded, rule + ": give these a maxItems or maxProperties");
    }

    @ParameterizedTest
    @MethodSource("dev.kiln.capi.crd.SamplesFitSchemaTest#kinds")
    void sampleManifestPassesEveryRule(Class<? extends HasMetadata> kind) {
        JsonNode sample = Samples.tree(Samples.text(kind));
        List<String> refused = new ArrayList<>();
        for (CelRule rule : CrdCelRules.in(CommittedCrds.fileName(kind), CommittedCrds.of(kind))) {
            CelRuleEvaluator evaluator = CelRuleEvaluator.compile(rule);
            for (JsonNode value : valuesAt(sample, rule.path())) {
                Verdict verdict = evaluator.evaluate(value, null);
                if (!(verdict instanceof Verdict.Allowed || verdict instanceof Verdict.Skipped)) {
                    refused.add(rule + ": " + verdict);
                }
            }
        }
        assertEquals(List.of(), refused);
    }

    private static JSONSchemaProps rootOf(CelRule rule) {
        return CommittedCrds.read(CommittedCrds.dir().resolve(rule.crd()))
                .getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
    }

    private static List<JsonNode> valuesAt(JsonNode root, String path) {
        List<JsonNode> nodes = List.of(root);
        for (String step : CrdCelRules.steps(path)) {
            nodes = nodes.stream()
                    .flatMap(n -> step.equals(CrdCelRules.ANY_ITEM) ? stream(n) : Stream.ofNullable(n.get(step)))
                    .collect(Collectors.toList());
        }
        return nodes;
    }

    private static Stream<JsonNode> stream(JsonNode container) {
        List<JsonNode> items = new ArrayList<>();
        container.elements().forEachRemaining(items::add);
        return items.stream();
    }
}
