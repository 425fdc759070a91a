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

    /**
     * A merge patch of {@code spec} alone. A merge patch of the whole object would carry its metadata lists, which
     * the CRUD mock appends to: every spec write added one more copy of each finalizer.
     */
    static <T extends HasMetadata> T mergePatchSpec(KubernetesClient client, T object, Object spec) {
        String patch = "{\"spec\":" + client.getKubernetesSerialization().asJson(spec) + "}";
        return client.resource(object).patch(PatchContext.of(PatchType.JSON_MERGE), patch);
    }
}
