package dev.kiln.capi.controlplane;

import dev.kiln.capi.api.controlplane.v1alpha1.TemplateMetadata;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The labels and annotations an object made from spec.machineTemplate.metadata should carry now: the template's,
 * applied over what it carries, with keys the template no longer has removed. Which keys came from the template is
 * kept in two annotations, so keys set by others are never removed. Keys Kiln itself sets are never taken from the
 * template.
 */
final class TemplateLabels {

    static final String FROM_TEMPLATE_LABELS = "controlplane.kiln.dev/template-labels";
    static final String FROM_TEMPLATE_ANNOTATIONS = "controlplane.kiln.dev/template-annotations";

    /** Labels and annotations of one object. */
    record Metadata(Map<String, String> labels, Map<String, String> annotations) {
        Metadata {
            labels = Map.copyOf(labels == null ? Map.of() : labels);
            annotations = Map.copyOf(annotations == null ? Map.of() : annotations);
        }
    }

    private TemplateLabels() {
    }

    /**
     * {@code current} with the template applied.
     *
     * @param reservedLabels      label keys Kiln sets; the template's values for them are ignored
     * @param reservedAnnotations annotation keys Kiln sets; likewise
     */
    static Metadata apply(Metadata current, TemplateMetadata template, Set<String> reservedLabels,
            Set<String> reservedAnnotations) {
        Map<String, String> wantedLabels = without(template == null ? null : template.getLabels(), reservedLabels);
        Map<String, String> wantedAnnotations = without(template == null ? null : template.getAnnotations(),
                union(reservedAnnotations, Set.of(FROM_TEMPLATE_LABELS, FROM_TEMPLATE_ANNOTATIONS)));
        Map<String, String> labels = replace(current.labels(), keys(current, FROM_TEMPLATE_LABELS), wantedLabels,
                reservedLabels);
        Map<String, String> annotations = replace(current.annotations(), keys(current, FROM_TEMPLATE_ANNOTATIONS),
                wantedAnnotations, reservedAnnotations);
        record(annotations, FROM_TEMPLATE_LABELS, wantedLabels);
        record(annotations, FROM_TEMPLATE_ANNOTATIONS, wantedAnnotations);
        return new Metadata(labels, annotations);
    }

    private static Map<String, String> replace(Map<String, String> current, Set<String> fromTemplateBefore,
            Map<String, String> wanted, Set<String> reserved) {
        Map<String, String> result = new LinkedHashMap<>(current);
        for (String key : fromTemplateBefore) {
            if (!wanted.containsKey(key) && !reserved.contains(key)) {
                result.remove(key);
            }
        }
        result.putAll(wanted);
        return result;
    }

    private static void record(Map<String, String> annotations, String key, Map<String, String> fromTemplate) {
        if (fromTemplate.isEmpty()) {
            annotations.remove(key);
        } else {
            annotations.put(key, String.join(",", new TreeSet<>(fromTemplate.keySet())));
        }
    }

    private static Set<String> keys(Metadata current, String annotation) {
        String recorded = current.annotations().get(annotation);
        if (recorded == null || recorded.isEmpty()) {
            return Set.of();
        }
        return Arrays.stream(recorded.split(",")).filter(k -> !k.isEmpty()).collect(Collectors.toSet());
    }

    private static Map<String, String> without(Map<String, String> entries, Set<String> reserved) {
        Map<String, String> result = new LinkedHashMap<>();
        if (entries != null) {
            entries.forEach((k, v) -> {
                if (!reserved.contains(k) && v != null) {
                    result.put(k, v);
                }
            });
        }
        return result;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new TreeSet<>(a);
        all.addAll(b);
        return all;
    }
}
