package dev.kiln.capi.crd;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Each row of the CRDs' rule tables, named after the behaviour it shows, against the committed CRDs. */
class CrdRuleTablesTest {

    static List<RuleCase> rows() {
        return RuleTables.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void ruleDecidesAsTheRowSays(RuleCase row) {
        row.check();
    }
}
