package dev.kiln.capi.crd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.kiln.capi.api.Samples;
import dev.kiln.capi.crd.CelRuleEvaluator.Verdict;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One row of a CRD's rule table: a value (and, for an update, the old value) at the place of one rule, and whether
 * the API server must accept it. The rule is found in the committed CRD by its place and the start of its message.
 */
record RuleCase(String behaviour, String crd, String path, String messageStart, JsonNode self, JsonNode oldSelf,
        boolean allowed) {

    private static final List<CelRule> RULES = CrdCelRules.all();
    private static final Map<CelRule, CelRuleEvaluator> COMPILED = new ConcurrentHashMap<>();

    /** Rows for the rule at {@code path} in {@code kind}'s CRD whose message starts with {@code messageStart}. */
    static Rows of(Class<? extends HasMetadata> kind, String path, String messageStart) {
        return new Rows(CommittedCrds.fileName(kind), path, messageStart);
    }

    /** Values are YAML (or JSON) documents, except in the *Text methods, which take a string value as it is. */
    record Rows(String crd, String path, String messageStart) {
        RuleCase accepts(String behaviour, String yaml) {
            return new RuleCase(behaviour, crd, path, messageStart, Samples.tree(yaml), null, true);
        }

        RuleCase refuses(String behaviour, String yaml) {
            return new RuleCase(behaviour, crd, path, messageStart, Samples.tree(yaml), null, false);
        }

        RuleCase acceptsText(String behaviour, String value) {
            return new RuleCase(behaviour, crd, path, messageStart, TextNode.valueOf(value), null, true);
        }

        RuleCase refusesText(String behaviour, String value) {
            return new RuleCase(behaviour, crd, path, messageStart, TextNode.valueOf(value), null, false);
        }

        RuleCase acceptsChange(String behaviour, String oldYaml, String newYaml) {
            return new RuleCase(behaviour, crd, path, messageStart, Samples.tree(newYaml), Samples.tree(oldYaml), true);
        }

        RuleCase refusesChange(String behaviour, String oldYaml, String newYaml) {
            return new RuleCase(behaviour, crd, path, messageStart, Samples.tree(newYaml), Samples.tree(oldYaml), false);
        }
    }

    CelRule rule() {
        List<CelRule> matching = RULES.stream()
                .filter(r -> r.crd().equals(crd) && r.path().equals(path) && r.message().startsWith(messageStart))
                .toList();
        if (matching.size() != 1) {
            throw new IllegalStateException("expected one rule in crds/" + crd + " at " + path + " with a message "
                    + "starting \"" + messageStart + "\", found " + matching);
        }
        return matching.get(0);
    }

    Verdict verdict() {
        return COMPILED.computeIfAbsent(rule(), CelRuleEvaluator::compile).evaluate(self, oldSelf);
    }

    /** Whether the rule did what the row says: allowed, or refused naming its field. */
    boolean holds() {
        return verdict().equals(expected());
    }

    void check() {
        assertEquals(expected(), verdict(), this + " (" + rule().rule() + ")");
    }

    private Verdict expected() {
        CelRule rule = rule();
        return allowed ? new Verdict.Allowed() : new Verdict.Refused(rule.reportedField(), rule.message());
    }

    @Override
    public String toString() {
        return behaviour + " [" + crd.substring(0, crd.indexOf('.')) + " " + path + "]";
    }
}
