package dev.kiln.testenv.capi;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;

/** Writes as Cluster API's controllers do: patches that do not fight other writers over resourceVersion. */
final class Writes {

    private Writes() {
    }

    static <T extends HasMetadata> T mergePatch(KubernetesClient client, T object) {
        object.getMetadata().setResourceVersion(null);
        return client.resource(object).patch(PatchContext.of(PatchType.JSON_MERGE));
    }

    /**
     * A JSON merge patch of the given spec fields only: a merge patch of the whole object would append its
     * finalizers and ownerReferences to the stored ones on the mock, so a finalizer removed once would still hold.
     */
    static <T extends HasMetadata> T mergePatchSpec(KubernetesClient client, T object, Object spec) {
        return client.resource(object).patch(PatchContext.of(PatchType.JSON_MERGE),
                Serialization.asJson(Map.of("spec", spec)));
    }
}
