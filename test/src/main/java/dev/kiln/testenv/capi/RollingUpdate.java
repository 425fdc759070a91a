package dev.kiln.testenv.capi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The arithmetic of one MachineDeployment pass under the RollingUpdate strategy, as Cluster API (after Kubernetes
 * Deployments) does it, on plain numbers: scale the new MachineSet up within {@code maxSurge} machines above the
 * desired count, then scale old MachineSets down (oldest first, machines that are not available first) while at
 * least desired minus {@code maxUnavailable} machines stay available.
 */
final class RollingUpdate {

    /** A MachineSet as the pass sees it: its spec.replicas and how many of its machines are available. */
    record SetState(String name, int replicas, int available) {
    }

    /** maxSurge and maxUnavailable as machine counts. */
    record Limits(int maxSurge, int maxUnavailable) {

        /**
         * From the deployment's fields (an integer, a percentage of {@code desired} as "25%", or absent): surge
         * rounds up, unavailability down, absent means Cluster API's defaults (1 and 0), and when both come out 0
         * one machine may be unavailable, or the rollout could never move.
         */
        static Limits resolve(Object maxSurge, Object maxUnavailable, int desired) {
            int surge = count("maxSurge", maxSurge, desired, true, 1);
            int unavailable = count("maxUnavailable", maxUnavailable, desired, false, 0);
            return new Limits(surge, surge == 0 && unavailable == 0 ? 1 : unavailable);
        }

        private static int count(String field, Object value, int desired, boolean roundUp, int absent) {
            if (value == null) {
                return absent;
            }
            if (value instanceof Number number) {
                return requireNonNegative(field, number.intValue());
            }
            String text = value.toString().trim();
            try {
                if (text.endsWith("%")) {
                    int percent = requireNonNegative(field, Integer.parseInt(text.substring(0, text.length() - 1)));
                    return roundUp ? (desired * percent + 99) / 100 : desired * percent / 100;
                }
                return requireNonNegative(field, Integer.parseInt(text));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("spec.strategy.rollingUpdate." + field
                        + " must be a count or a percentage like 25%, not " + text, e);
            }
        }

        private static int requireNonNegative(String field, int value) {
            if (value < 0) {
                throw new IllegalArgumentException("spec.strategy.rollingUpdate." + field + " must not be negative: "
                        + value);
            }
            return value;
        }
    }

    private RollingUpdate() {
    }

    /**
     * The replicas each set should have after this pass, by name: the new set's, then every old set's.
     *
     * @param oldSets the sets with another template, oldest first
     */
    static Map<String, Integer> plan(int desired, Limits limits, SetState newSet, List<SetState> oldSets) {
        int newReplicas = newReplicas(desired, limits, newSet, oldSets);
        List<SetState> old = new ArrayList<>(oldSets);
        int allReplicas = newReplicas + old.stream().mapToInt(SetState::replicas).sum();
        int minAvailable = desired - limits.maxUnavailable();
        int newUnavailable = Math.max(0, newReplicas - newSet.available());
        int maxScaledDown = allReplicas - minAvailable - newUnavailable;
        if (maxScaledDown > 0) {
            cleanUpUnavailable(old, maxScaledDown);
            scaleDownAvailable(old, newSet.available(), minAvailable);
        }
        Map<String, Integer> plan = new LinkedHashMap<>();
        plan.put(newSet.name(), newReplicas);
        old.forEach(set -> plan.put(set.name(), set.replicas()));
        return plan;
    }

    private static int newReplicas(int desired, Limits limits, SetState newSet, List<SetState> oldSets) {
        if (newSet.replicas() >= desired) {
            return desired;
        }
        int current = newSet.replicas() + oldSets.stream().mapToInt(SetState::replicas).sum();
        int room = desired + limits.maxSurge() - current;
        return room <= 0 ? newSet.replicas() : newSet.replicas() + Math.min(room, desired - newSet.replicas());
    }

    /** Machines that are not available go first: removing them costs no availability. */
    private static void cleanUpUnavailable(List<SetState> old, int atMost) {
        int removed = 0;
        for (int i = 0; i < old.size() && removed < atMost; i++) {
            SetState set = old.get(i);
            int unavailable = set.replicas() - set.available();
            if (unavailable <= 0) {
                continue;
            }
            int cut = Math.min(atMost - removed, unavailable);
            old.set(i, new SetState(set.name(), set.replicas() - cut, set.available()));
            removed += cut;
        }
    }

    /** Then available machines, while the available count across all sets stays at or above {@code minAvailable}. */
    private static void scaleDownAvailable(List<SetState> old, int newAvailable, int minAvailable) {
        int available = newAvailable + old.stream().mapToInt(SetState::available).sum();
        int budget = available - minAvailable;
        for (int i = 0; i < old.size() && budget > 0; i++) {
            SetState set = old.get(i);
            if (set.replicas() == 0) {
                continue;
            }
            int cut = Math.min(set.replicas(), budget);
            old.set(i, new SetState(set.name(), set.replicas() - cut, Math.min(set.available(), set.replicas() - cut)));
            budget -= cut;
        }
    }
}
