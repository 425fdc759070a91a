package dev.kiln.capi.infrastructure;

import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachine;
import dev.kiln.capi.infrastructure.upgrade.WorkerUpgradeFacts.Asked;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The upgrade asked of a worker's node, in annotations on its KilnMachine (the keys the control plane's Machines use),
 * written before the node is asked so that an operator that restarts mid-upgrade finds it.
 */
final class WorkerUpgradeRecord {

    static final String TARGET = "kiln.dev/upgrade-target";
    static final String IMAGE = "kiln.dev/upgrade-image";
    static final String STARTED = "kiln.dev/upgrade-started";
    static final String ROLLBACK_BEFORE = "kiln.dev/upgrade-rollback-before";
    static final String REFUSED = "kiln.dev/upgrade-refused";
    private static final Set<String> ALL = Set.of(TARGET, IMAGE, STARTED, ROLLBACK_BEFORE, REFUSED);

    private WorkerUpgradeRecord() {
    }

    static Optional<Asked> read(Map<String, String> annotations) {
        String target = annotations.get(TARGET);
        String image = annotations.get(IMAGE);
        if (target == null || image == null) {
            return Optional.empty();
        }
        return Optional.of(new Asked(target, image, started(annotations.get(STARTED)),
                Optional.ofNullable(annotations.get(ROLLBACK_BEFORE)), Optional.ofNullable(annotations.get(REFUSED))));
    }

    static void write(KubernetesClient client, KilnMachine machine, Asked asked) {
        edit(client, machine, annotations -> {
            ALL.forEach(annotations::remove);
            annotations.put(TARGET, asked.target());
            annotations.put(IMAGE, asked.image());
            annotations.put(STARTED, asked.started().toString());
            asked.rollbackBefore().ifPresent(r -> annotations.put(ROLLBACK_BEFORE, r));
        });
    }

    static void refused(KubernetesClient client, KilnMachine machine, String why) {
        edit(client, machine, annotations -> annotations.put(REFUSED, why));
    }

    private static void edit(KubernetesClient client, KilnMachine machine, Consumer<Map<String, String>> change) {
        client.resources(KilnMachine.class).inNamespace(machine.getMetadata().getNamespace())
                .withName(machine.getMetadata().getName()).edit(current -> {
                    Map<String, String> annotations = current.getMetadata().getAnnotations() == null
                            ? new LinkedHashMap<>() : new LinkedHashMap<>(current.getMetadata().getAnnotations());
                    change.accept(annotations);
                    current.getMetadata().setAnnotations(annotations);
                    return current;
                });
    }

    // An unreadable start time (edited by hand) counts as long ago: the machine fails rather than waits forever.
    private static Instant started(String text) {
        try {
            return text == null ? Instant.EPOCH : Instant.parse(text);
        } catch (DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }
}
