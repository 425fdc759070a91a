package dev.kiln.capi.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The node-init upgrade asked of a machine's node, kept in annotations on the object that asked it (a control-plane
 * Machine, a worker's KilnMachine): written before the node is asked so that an operator that restarts mid-upgrade
 * finds it, and left in place afterwards (a new target replaces it).
 */
public final class UpgradeAnnotations {

    public static final String TARGET = "kiln.dev/upgrade-target";
    public static final String IMAGE = "kiln.dev/upgrade-image";
    public static final String STARTED = "kiln.dev/upgrade-started";
    public static final String ROLLBACK_BEFORE = "kiln.dev/upgrade-rollback-before";
    public static final String REFUSED = "kiln.dev/upgrade-refused";
    public static final Set<String> ALL = Set.of(TARGET, IMAGE, STARTED, ROLLBACK_BEFORE, REFUSED);

    /** What was asked: the version and image, when, the node's last rollback message then, and its refusal if any. */
    public record Asked(String target, String image, Instant started, Optional<String> rollbackBefore,
            Optional<String> refused) {
    }

    private UpgradeAnnotations() {
    }

    public static Optional<Asked> read(Map<String, String> annotations) {
        String target = annotations.get(TARGET);
        String image = annotations.get(IMAGE);
        if (target == null || image == null) {
            return Optional.empty();
        }
        return Optional.of(new Asked(target, image, started(annotations.get(STARTED)),
                Optional.ofNullable(annotations.get(ROLLBACK_BEFORE)), Optional.ofNullable(annotations.get(REFUSED))));
    }

    /** Replaces any earlier record on the object with {@code asked} (its refusal is recorded separately). */
    public static <T extends HasMetadata> void write(KubernetesClient client, Class<T> type, String namespace,
            String name, Asked asked) {
        edit(client, type, namespace, name, annotations -> {
            ALL.forEach(annotations::remove);
            annotations.put(TARGET, asked.target());
            annotations.put(IMAGE, asked.image());
            annotations.put(STARTED, asked.started().toString());
            asked.rollbackBefore().ifPresent(r -> annotations.put(ROLLBACK_BEFORE, r));
        });
    }

    /** The node refused the upgrade: kept on the record, where the planners read it as a failure. */
    public static <T extends HasMetadata> void refused(KubernetesClient client, Class<T> type, String namespace,
            String name, String why) {
        edit(client, type, namespace, name, annotations -> annotations.put(REFUSED, why));
    }

    private static <T extends HasMetadata> void edit(KubernetesClient client, Class<T> type, String namespace,
            String name, Consumer<Map<String, String>> change) {
        client.resources(type).inNamespace(namespace).withName(name).edit(current -> {
            Map<String, String> annotations = current.getMetadata().getAnnotations() == null
                    ? new LinkedHashMap<>() : new LinkedHashMap<>(current.getMetadata().getAnnotations());
            change.accept(annotations);
            current.getMetadata().setAnnotations(annotations);
            return current;
        });
    }

    // An unreadable start time (edited by hand) counts as long ago: the upgrade fails rather than waits forever.
    private static Instant started(String text) {
        try {
            return text == null ? Instant.EPOCH : Instant.parse(text);
        } catch (DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }
}
