package dev.kiln.capi.cluster;

import dev.kiln.capi.core.v1beta1.Cluster;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Map;
import java.util.Optional;

/**
 * Whether Cluster API asks Kiln to leave an object alone: its own paused annotation, or its Cluster paused by
 * spec.paused or the same annotation.
 */
public final class Pause {

    private Pause() {
    }

    /** @return why the object is paused, or empty when it is not */
    public static Optional<String> of(HasMetadata object, Optional<Cluster> cluster) {
        Map<String, String> annotations = object.getMetadata().getAnnotations();
        if (annotations != null && annotations.containsKey(Cluster.PAUSED_ANNOTATION)) {
            return Optional.of(object.getKind() + " " + object.getMetadata().getName() + " has annotation "
                    + Cluster.PAUSED_ANNOTATION);
        }
        return cluster.filter(Cluster::isPaused).map(c -> "Cluster " + c.getMetadata().getName() + " is paused ("
                + (Boolean.TRUE.equals(c.getSpec() == null ? null : c.getSpec().getPaused())
                        ? "spec.paused" : "annotation " + Cluster.PAUSED_ANNOTATION) + ")");
    }
}
