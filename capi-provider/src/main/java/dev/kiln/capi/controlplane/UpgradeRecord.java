package dev.kiln.capi.controlplane;

import dev.kiln.capi.controlplane.upgrade.UpgradeFacts.InProgress;
import dev.kiln.capi.core.v1beta1.Machine;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The in-place upgrade asked of a machine, kept in annotations on its Machine so that an operator that restarts
 * mid-rollout finds it: written before the node is asked, and left in place afterwards (a new target replaces it).
 */
final class UpgradeRecord {

    static final String TARGET = "kiln.dev/upgrade-target";
    static final String IMAGE = "kiln.dev/upgrade-image";
    static final String STARTED = "kiln.dev/upgrade-started";
    static final String ROLLBACK_BEFORE = "kiln.dev/upgrade-rollback-before";
    static final String REFUSED = "kiln.dev/upgrade-refused";
    static final Set<String> ANNOTATIONS = Set.of(TARGET, IMAGE, STARTED, ROLLBACK_BEFORE, REFUSED);

    private UpgradeRecord() {
    }

    static Optional<InProgress> read(Map<String, String> annotations) {
        String target = annotations.get(TARGET);
        String image = annotations.get(IMAGE);
        if (target == null || image == null) {
            return Optional.empty();
        }
        return Optional.of(new InProgress(target, image, started(annotations.get(STARTED)),
                Optional.ofNullable(annotations.get(ROLLBACK_BEFORE)), Optional.ofNullable(annotations.get(REFUSED))));
    }

    /** Replaces any earlier record on the Machine with {@code record}. */
    static void write(KubernetesClient client, String namespace, String machine, InProgress record) {
        edit(client, namespace, machine, annotations -> {
            ANNOTATIONS.forEach(annotations::remove);
            annotations.put(TARGET, record.target());
            annotations.put(IMAGE, record.image());
            annotations.put(STARTED, record.started().toString());
            record.rollbackBefore().ifPresent(r -> annotations.put(ROLLBACK_BEFORE, r));
        });
    }

    /** The node refused the upgrade: kept on the record, where the planner reads it as a failure. */
    static void refused(KubernetesClient client, String namespace, String machine, String why) {
        edit(client, namespace, machine, annotations -> annotations.put(REFUSED, why));
    }

    private static void edit(KubernetesClient client, String namespace, String machine,
            java.util.function.Consumer<Map<String, String>> change) {
        client.resources(Machine.class).inNamespace(namespace).withName(machine).edit(current -> {
            Map<String, String> annotations = current.getMetadata().getAnnotations() == null
                    ? new LinkedHashMap<>() : new LinkedHashMap<>(current.getMetadata().getAnnotations());
            change.accept(annotations);
            current.getMetadata().setAnnotations(annotations);
            return current;
        });
    }

    // An unreadable start time (edited by hand) counts as long ago: the planner halts rather than waits forever.
    private static Instant started(String text) {
        try {
            return text == null ? Instant.EPOCH : Instant.parse(text);
        } catch (DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }
}
