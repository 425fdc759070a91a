package dev.kiln.capi.crd;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.extensions.CelExtensions;
import dev.cel.extensions.CelStringExtensions;
import dev.cel.extensions.CelStringExtensions.Function;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a CRD's CEL rule the way an API server would, as far as CEL-Java allows: {@code self} (and {@code oldSelf})
 * are dynamic values built from JSON, the standard library and macros plus part of the strings extension are available, and a
 * transition rule is skipped when there is no old value. The fabric8 mock API server runs no CEL, hence this.
 *
 * <p>Not modelled: Kubernetes' own libraries (regex/list/url/quantity/ip extensions, {@code format}), the schema's
 * declared types (everything is dyn here) and the cost budget. A rule using Kubernetes' libraries does not compile
 * here, so rules keep to what both have.
 */
final class CelRuleEvaluator {
    // The strings extension as far as Kubernetes has it too (cel-go's version 0; reverse and quote came later).
    private static final CelStringExtensions STRINGS = CelExtensions.strings(Function.CHAR_AT, Function.INDEX_OF,
            Function.JOIN, Function.LAST_INDEX_OF, Function.LOWER_ASCII, Function.REPLACE, Function.SPLIT,
            Function.SUBSTRING, Function.TRIM, Function.UPPER_ASCII);
    private static final Cel CEL = CelFactory.standardCelBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("self", SimpleType.DYN)
            .addVar("oldSelf", SimpleType.DYN)
            .addCompilerLibraries(STRINGS)
            .addRuntimeLibraries(STRINGS)
            .build();

    /** What the API server does with one value. */
    sealed interface Verdict {
        record Allowed() implements Verdict {}

        /** A transition rule on a create, or where the old object had no value. */
        record Skipped() implements Verdict {}

        record Refused(String field, String message) implements Verdict {}

        /** Evaluation failed (e.g. a field read without has()); Kubernetes refuses the object with this error. */
        record Failed(String error) implements Verdict {}
    }

    private final CelRule rule;
    private final CelAbstractSyntaxTree ast;

    private CelRuleEvaluator(CelRule rule, CelAbstractSyntaxTree ast) {
        this.rule = rule;
        this.ast = ast;
    }

    /** @throws IllegalArgumentException naming the rule when it does not compile */
    static CelRuleEvaluator compile(CelRule rule) {
        try {
            return new CelRuleEvaluator(rule, CEL.compile(rule.rule()).getAst());
        } catch (CelValidationException e) {
            throw new IllegalArgumentException(rule + " does not compile: " + e.getMessage(), e);
        }
    }

    /** @param oldSelf the value before an update, or null for a create */
    Verdict evaluate(JsonNode self, JsonNode oldSelf) {
        if (rule.isTransition() && oldSelf == null && !rule.optionalOldSelf()) {
            return new Verdict.Skipped();
        }
        Map<String, Object> variables = new HashMap<>();
        variables.put("self", plain(self));
        if (oldSelf != null) {
            variables.put("oldSelf", plain(oldSelf));
        }
        try {
            Object result = CEL.createProgram(ast).eval(variables);
            if (Boolean.TRUE.equals(result)) {
                return new Verdict.Allowed();
            }
            if (Boolean.FALSE.equals(result)) {
                return new Verdict.Refused(rule.reportedField(), rule.message());
            }
            return new Verdict.Failed("rule gave " + result + ", not a bool");
        } catch (CelEvaluationException e) {
            return new Verdict.Failed(e.getMessage());
        }
    }

    /** JSON as CEL sees it: objects as maps (without null fields), arrays as lists, integers as int (long), other numbers as double. */
    static Object plain(JsonNode node) {
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (!field.getValue().isNull()) { // the API server drops nulls of fields that are not nullable
                    map.put(field.getKey(), plain(field.getValue()));
                }
            }
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.forEach(item -> list.add(plain(item)));
            return list;
        }
        if (node.isIntegralNumber()) {
            return node.longValue();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        return node.textValue();
    }
}
