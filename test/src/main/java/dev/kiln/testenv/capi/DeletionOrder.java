package dev.kiln.testenv.capi;

import dev.kiln.capi.core.v1beta1.Machine;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Which Machines a MachineSet deletes when it has too many, as Cluster API's delete policies rank them: a Machine
 * marked with the delete-machine annotation first, then unhealthy ones (no nodeRef, or failed), then by the policy
 * ({@code Random}, the default, ranks the rest alike; {@code Oldest} and {@code Newest} by age); equal ranks by name.
 */
enum DeletionOrder {

    RANDOM, OLDEST, NEWEST;

    private static final double SHOULD_DELETE = 75;
    private static final double BETTER_DELETE = 50;
    private static final double COULD_DELETE = 20;
    private static final double TEN_DAYS_SECONDS = 864_000;

    /** The order named by a MachineSet's {@code spec.deletePolicy}; empty or absent is Random, as in Cluster API. */
    static DeletionOrder of(String policy) {
        if (policy == null || policy.isEmpty()) {
            return RANDOM;
        }
        return switch (policy) {
            case "Random" -> RANDOM;
            case "Oldest" -> OLDEST;
            case "Newest" -> NEWEST;
            default -> throw new IllegalArgumentException("spec.deletePolicy: unsupported delete policy " + policy
                    + "; must be one of Random, Newest, Oldest");
        };
    }

    /** The {@code count} Machines to delete from {@code live} (none of them deleting already). */
    List<Machine> pick(List<Machine> live, int count, Instant now) {
        ToDoubleFunction<Machine> priority = machine -> priority(machine, now);
        return live.stream()
                .sorted(Comparator.comparingDouble(priority).reversed()
                        .thenComparing(machine -> machine.getMetadata().getName()))
                .limit(Math.max(0, count))
                .toList();
    }

    private double priority(Machine machine, Instant now) {
        Map<String, String> annotations = machine.getMetadata().getAnnotations();
        if (annotations != null && annotations.containsKey(Machine.DELETE_MACHINE_ANNOTATION)) {
            return SHOULD_DELETE;
        }
        if (!healthy(machine)) {
            return BETTER_DELETE;
        }
        return switch (this) {
            case RANDOM -> COULD_DELETE;
            case OLDEST -> age(machine, now);
            case NEWEST -> BETTER_DELETE - age(machine, now);
        };
    }

    /** The age mapped onto 0..50 as Cluster API does: older ranks higher, slowly, over days. */
    private static double age(Machine machine, Instant now) {
        try {
            double seconds = Duration.between(Instant.parse(machine.getMetadata().getCreationTimestamp()), now)
                    .toMillis() / 1000.0;
            return seconds < 0 ? 0 : BETTER_DELETE * (1 - Math.exp(-seconds / TEN_DAYS_SECONDS));
        } catch (DateTimeParseException | NullPointerException e) {
            return 0;
        }
    }

    /** Cluster API counts a Machine without a nodeRef as unhealthy; the stand-in never sets one. */
    private static boolean healthy(Machine machine) {
        Machine.Status status = machine.getStatus();
        return status != null && status.getAdditionalProperties().get("nodeRef") != null
                && status.getFailureReason() == null && status.getFailureMessage() == null;
    }

    @Override
    public String toString() {
        return name().charAt(0) + name().substring(1).toLowerCase(Locale.ROOT);
    }
}
