package dev.kiln.capi.infrastructure;

import dev.kiln.capi.api.infrastructure.v1alpha1.FailureDomain;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a KilnCluster reports in status.failureDomains: its declared domains, or none while the declaration is
 * invalid, with the problems naming their field.
 */
record FailureDomainReport(List<FailureDomain> reported, List<String> problems) {

    static FailureDomainReport of(List<FailureDomain> declared) {
        if (declared == null || declared.isEmpty()) {
            return new FailureDomainReport(List.of(), List.of());
        }
        List<String> problems = new ArrayList<>();
        Map<String, Integer> firstIndex = new HashMap<>();
        for (int i = 0; i < declared.size(); i++) {
            FailureDomain domain = declared.get(i);
            String name = domain == null ? null : domain.getName();
            if (name == null || name.isBlank()) {
                problems.add("spec.failureDomains[" + i + "].name is empty");
                continue;
            }
            Integer earlier = firstIndex.putIfAbsent(name, i);
            if (earlier != null) {
                problems.add("spec.failureDomains[" + i + "].name: " + name + " is already declared at spec.failureDomains["
                        + earlier + "]");
            }
        }
        return problems.isEmpty() ? new FailureDomainReport(List.copyOf(declared), List.of())
                : new FailureDomainReport(List.of(), List.copyOf(problems));
    }
}
