package dev.kiln.capi.crd;

import dev.kiln.capi.api.bootstrap.v1alpha1.KilnConfig;
import dev.kiln.capi.api.bootstrap.v1alpha1.KilnConfigTemplate;
import dev.kiln.capi.api.controlplane.v1alpha1.KilnControlPlane;
import dev.kiln.capi.api.controlplane.v1alpha1.KilnControlPlaneTemplate;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.stream.Stream;

/**
 * The rules of a KilnConfig spec and its config patches, in each CRD that carries that spec: KilnConfig,
 * KilnConfigTemplate, KilnControlPlane's controlPlaneConfig and KilnControlPlaneTemplate's.
 */
final class KilnConfigSpecRuleTable {

    private KilnConfigSpecRuleTable() {}

    static Stream<RuleCase> rows() {
        return Stream.of(
                        at(KilnConfig.class, ".spec"),
                        at(KilnConfigTemplate.class, ".spec.template.spec"),
                        at(KilnControlPlane.class, ".spec.controlPlaneConfig"),
                        at(KilnControlPlaneTemplate.class, ".spec.template.spec.controlPlaneConfig"))
                .flatMap(s -> s);
    }

    private static Stream<RuleCase> at(Class<? extends HasMetadata> kind, String spec) {
        RuleCase.Rows dataRequired = RuleCase.of(kind, spec, "data is required");
        RuleCase.Rows dataForbidden = RuleCase.of(kind, spec, "data must be empty");
        String patch = spec + ".configPatches[*]";
        RuleCase.Rows fromRequired = RuleCase.of(kind, patch, "from is required");
        RuleCase.Rows fromPointer = RuleCase.of(kind, patch, "from must be a JSON pointer");
        RuleCase.Rows valueRequired = RuleCase.of(kind, patch, "value is required");
        RuleCase.Rows pathPointer = RuleCase.of(kind, patch, "path must be a JSON pointer");
        return Stream.of(
                dataRequired.accepts("noneWithDataIsAccepted", "{generateType: none, data: 'machine: {type: worker}'}"),
                dataRequired.accepts("generatedConfigNeedsNoData", "{generateType: worker}"),
                dataRequired.refuses("noneWithoutDataIsRefusedWithAMessageNamingData", "{generateType: none}"),
                dataRequired.refuses("noneWithBlankDataIsRefused", "{generateType: none, data: '  '}"),
                dataForbidden.accepts("generatedConfigWithoutDataIsAccepted", "{generateType: controlplane}"),
                dataForbidden.accepts("generatedConfigWithBlankDataIsAccepted", "{generateType: worker, data: ' '}"),
                dataForbidden.accepts("dataWithNoneIsAccepted", "{generateType: none, data: 'machine: {}'}"),
                dataForbidden.refuses("dataWithAGeneratedTypeIsRefusedWithAMessageNamingData",
                        "{generateType: worker, data: 'machine: {}'}"),
                dataForbidden.refuses("dataWithoutGenerateTypeIsRefused", "{data: 'machine: {}'}"),
                fromRequired.accepts("moveWithFromIsAccepted", "{op: move, path: /a, from: /b}"),
                fromRequired.accepts("removeNeedsNoFrom", "{op: remove, path: /a}"),
                fromRequired.refuses("copyWithoutFromIsRefusedWithAMessageNamingFrom", "{op: copy, path: /a}"),
                fromPointer.accepts("emptyFromIsTheWholeDocument", "{op: copy, path: /a, from: ''}"),
                fromPointer.accepts("fromOfAnAddIsIgnoredAsByTheOperator", "{op: add, path: /a, value: 1, from: b}"),
                fromPointer.refuses("fromWithoutLeadingSlashIsRefused", "{op: move, path: /a, from: b}"),
                valueRequired.accepts("addWithValueIsAccepted", "{op: add, path: /a, value: {x: 1}}"),
                valueRequired.accepts("removeNeedsNoValue", "{op: remove, path: /a}"),
                valueRequired.refuses("replaceWithoutValueIsRefusedWithAMessageNamingValue", "{op: replace, path: /a}"),
                valueRequired.refuses("testWithoutValueIsRefused", "{op: test, path: /a}"),
                pathPointer.accepts("pathWithLeadingSlashIsAccepted", "{op: remove, path: /machine/network}"),
                pathPointer.accepts("emptyPathIsTheWholeDocument", "{op: test, path: '', value: {}}"),
                pathPointer.refuses("pathWithoutLeadingSlashIsRefusedWithAMessageNamingPath",
                        "{op: remove, path: machine/network}"));
    }
}
