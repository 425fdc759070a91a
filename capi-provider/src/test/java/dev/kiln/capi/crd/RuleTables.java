package dev.kiln.capi.crd;

import java.util.List;
import java.util.stream.Stream;

/** Every CRD's rule table; {@link CelRulesCoverageTest} wants a row for each rule in crds/ in one of them. */
final class RuleTables {
    private RuleTables() {}

    static List<RuleCase> all() {
        return Stream.of(KilnControlPlaneRuleTable.rows(), KilnClusterRuleTable.rows(), KilnServerRuleTable.rows(),
                        KilnMachineRuleTable.rows(), KilnConfigSpecRuleTable.rows(),
                        KilnControlPlaneTemplateRuleTable.rows())
                .flatMap(rows -> rows).toList();
    }
}
