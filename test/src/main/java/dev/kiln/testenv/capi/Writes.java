package dev.kiln.testenv.capi;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

/** Writes as Cluster API's controllers do: patches that do not fight other writers over resourceVersion. */
final class Writes {

    private Writes() {
    }

    static <T extends HasMetadata> T mergePatch(KubernetesClient client, T object) {
        object.getMetadata().setResourceVersion(null);
        return client.resource(object).patch(PatchContext.of(PatchType.JSON_MERGE));
    }
}
