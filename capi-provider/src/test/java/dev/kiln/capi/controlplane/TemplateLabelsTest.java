package dev.kiln.capi.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.capi.api.controlplane.v1alpha1.TemplateMetadata;
import dev.kiln.capi.controlplane.TemplateLabels.Metadata;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TemplateLabelsTest {

    private static final Set<String> RESERVED_LABELS = Set.of("cluster.x-k8s.io/cluster-name");
    private static final Set<String> RESERVED_ANNOTATIONS = Set.of("kiln.dev/config-hash");

    private static TemplateMetadata template(Map<String, String> labels, Map<String, String> annotations) {
        TemplateMetadata template = new TemplateMetadata();
        template.setLabels(labels);
        template.setAnnotations(annotations);
        return template;
    }

    private static Metadata apply(Metadata current, TemplateMetadata template) {
        return TemplateLabels.apply(current, template, RESERVED_LABELS, RESERVED_ANNOTATIONS);
    }

    @Test
    void addsTheTemplatesLabelsAndAnnotationsAndRecordsTheirKeys() {
        Metadata applied = apply(new Metadata(Map.of("cluster.x-k8s.io/cluster-name", "c1"), Map.of()),
                template(Map.of("team", "platform", "tier", "gold"), Map.of("owner", "ops")));
        assertEquals(Map.of("cluster.x-k8s.io/cluster-name", "c1", "team", "platform", "tier", "gold"),
                applied.labels());
        assertEquals(Map.of("owner", "ops", TemplateLabels.FROM_TEMPLATE_LABELS, "team,tier",
                TemplateLabels.FROM_TEMPLATE_ANNOTATIONS, "owner"), applied.annotations());
    }

    @Test
    void aKeyTheTemplateDroppedIsRemovedButKeysSetByOthersStay() {
        Metadata before = apply(new Metadata(Map.of("set-by-user", "x"), Map.of("note", "y")),
                template(Map.of("team", "platform", "tier", "gold"), Map.of("owner", "ops")));
        Metadata after = apply(before, template(Map.of("team", "storage"), Map.of()));
        assertEquals(Map.of("set-by-user", "x", "team", "storage"), after.labels());
        assertEquals(Map.of("note", "y", TemplateLabels.FROM_TEMPLATE_LABELS, "team"), after.annotations());
    }

    @Test
    void reservedKeysAreNeverTakenFromTheTemplateNorRemoved() {
        Metadata current = new Metadata(Map.of("cluster.x-k8s.io/cluster-name", "c1"),
                Map.of("kiln.dev/config-hash", "abc", TemplateLabels.FROM_TEMPLATE_LABELS,
                        "cluster.x-k8s.io/cluster-name"));
        Metadata applied = apply(current, template(Map.of("cluster.x-k8s.io/cluster-name", "other"),
                Map.of("kiln.dev/config-hash", "forged", TemplateLabels.FROM_TEMPLATE_LABELS, "forged")));
        assertEquals(Map.of("cluster.x-k8s.io/cluster-name", "c1"), applied.labels());
        assertEquals(Map.of("kiln.dev/config-hash", "abc"), applied.annotations());
    }

    @Test
    void applyingTwiceChangesNothing() {
        TemplateMetadata template = template(Map.of("team", "platform"), Map.of("owner", "ops"));
        Metadata once = apply(new Metadata(Map.of("a", "1"), null), template);
        assertEquals(once, apply(once, template));
    }

    @Test
    void noTemplateRemovesWhatAnEarlierTemplateAddedOnly() {
        Metadata before = apply(new Metadata(Map.of("a", "1"), null), template(Map.of("team", "platform"), null));
        assertEquals(new Metadata(Map.of("a", "1"), Map.of()), apply(before, null));
    }
}
