package dev.kiln.capi.api.common;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Reads and writes the conditions of a status, following metav1.Condition semantics. */
public final class Conditions {
    public static final String TRUE = "True";
    public static final String FALSE = "False";
    public static final String UNKNOWN = "Unknown";

    private Conditions() {}

    /**
     * Sets the condition of {@code desired}'s type, replacing any earlier one. The transition time moves only
     * when the status changes, so it tells when the state last flipped rather than when it was last checked.
     *
     * @return whether the stored conditions changed
     */
    public static boolean set(HasConditions target, Condition desired, Clock clock) {
        Objects.requireNonNull(desired.getType(), "condition type");
        Objects.requireNonNull(desired.getStatus(), "condition status");
        List<Condition> conditions = target.getConditions() == null ? new ArrayList<>() : new ArrayList<>(target.getConditions());
        Condition next = copyOf(desired);
        int index = indexOf(conditions, desired.getType());
        if (index < 0) {
            next.setLastTransitionTime(now(clock));
            conditions.add(next);
        } else {
            Condition current = conditions.get(index);
            next.setLastTransitionTime(current.getStatus().equals(next.getStatus()) && current.getLastTransitionTime() != null
                    ? current.getLastTransitionTime()
                    : now(clock));
            if (next.equals(current)) {
                return false;
            }
            conditions.set(index, next);
        }
        target.setConditions(conditions);
        return true;
    }

    public static Optional<Condition> get(HasConditions target, String type) {
        List<Condition> conditions = target.getConditions();
        return conditions == null ? Optional.empty()
                : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    public static boolean isTrue(HasConditions target, String type) {
        return get(target, type).map(c -> TRUE.equals(c.getStatus())).orElse(false);
    }

    /** @return whether a condition of that type was there */
    public static boolean remove(HasConditions target, String type) {
        List<Condition> conditions = target.getConditions();
        if (conditions == null || indexOf(conditions, type) < 0) {
            return false;
        }
        List<Condition> rest = new ArrayList<>(conditions);
        rest.remove(indexOf(rest, type));
        target.setConditions(rest);
        return true;
    }

    private static int indexOf(List<Condition> conditions, String type) {
        for (int i = 0; i < conditions.size(); i++) {
            if (type.equals(conditions.get(i).getType())) {
                return i;
            }
        }
        return -1;
    }

    private static Condition copyOf(Condition c) {
        return new Condition(c.getType(), c.getStatus(), c.getReason(), c.getMessage(), c.getObservedGeneration());
    }

    // metav1.Time carries whole seconds; finer precision would make every write look like a change.
    private static String now(Clock clock) {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
