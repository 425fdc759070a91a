package dev.kiln.capi.controlplane;

import dev.kiln.capi.api.controlplane.v1alpha1.MachineDeletion;
import dev.kiln.capi.api.controlplane.v1alpha1.MachineTemplate;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The deletion timeouts a control-plane Machine gets, as the v1beta1 Machine's duration strings (null = unset), from
 * spec.machineTemplate.spec.deletion or the deprecated spec.machineTemplate.nodeDrainTimeout. Pure.
 */
record DeletionTimeouts(String nodeDrainTimeout, String nodeVolumeDetachTimeout, String nodeDeletionTimeout) {

    static final String DRAIN_FIELD = "spec.machineTemplate.spec.deletion.nodeDrainTimeoutSeconds";
    static final String DEPRECATED_DRAIN_FIELD = "spec.machineTemplate.nodeDrainTimeout";

    private static final Pattern GO_DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h)");
    private static final Map<String, BigDecimal> SECONDS_PER_UNIT = Map.of(
            "ns", new BigDecimal("0.000000001"), "us", new BigDecimal("0.000001"), "µs", new BigDecimal("0.000001"),
            "ms", new BigDecimal("0.001"), "s", BigDecimal.ONE, "m", BigDecimal.valueOf(60), "h", BigDecimal.valueOf(3600));

    static List<String> problems(MachineTemplate template) {
        List<String> problems = new ArrayList<>();
        String deprecated = template == null ? null : template.getNodeDrainTimeout();
        if (deprecated == null) {
            return problems;
        }
        Optional<BigDecimal> seconds = seconds(deprecated);
        if (seconds.isEmpty()) {
            problems.add(DEPRECATED_DRAIN_FIELD + " \"" + deprecated + "\" is not a duration such as 90s or 5m");
            return problems;
        }
        Integer current = deletion(template).getNodeDrainTimeoutSeconds();
        if (current != null && seconds.get().compareTo(BigDecimal.valueOf(current)) != 0) {
            problems.add(DRAIN_FIELD + " (" + current + ") and the deprecated " + DEPRECATED_DRAIN_FIELD + " ("
                    + deprecated + ") disagree; keep only " + DRAIN_FIELD);
        }
        return problems;
    }

    /** Call only when {@link #problems} found none. */
    static DeletionTimeouts of(MachineTemplate template) {
        MachineDeletion deletion = deletion(template);
        String drain = deletion.getNodeDrainTimeoutSeconds() != null ? duration(deletion.getNodeDrainTimeoutSeconds())
                : template == null ? null : template.getNodeDrainTimeout();
        return new DeletionTimeouts(drain, duration(deletion.getNodeVolumeDetachTimeoutSeconds()),
                duration(deletion.getNodeDeletionTimeoutSeconds()));
    }

    /** A Go duration ("1h30m", "90s", "0") in seconds, as metav1.Duration reads it. */
    static Optional<BigDecimal> seconds(String goDuration) {
        if ("0".equals(goDuration)) {
            return Optional.of(BigDecimal.ZERO);
        }
        Matcher part = GO_DURATION_PART.matcher(goDuration);
        BigDecimal total = BigDecimal.ZERO;
        int end = 0;
        while (part.find() && part.start() == end) {
            total = total.add(new BigDecimal(part.group(1)).multiply(SECONDS_PER_UNIT.get(part.group(2))));
            end = part.end();
        }
        return end == goDuration.length() && end > 0 ? Optional.of(total) : Optional.empty();
    }

    private static MachineDeletion deletion(MachineTemplate template) {
        return template == null || template.getSpec() == null || template.getSpec().getDeletion() == null
                ? new MachineDeletion() : template.getSpec().getDeletion();
    }

    private static String duration(Integer seconds) {
        return seconds == null ? null : seconds + "s";
    }
}
