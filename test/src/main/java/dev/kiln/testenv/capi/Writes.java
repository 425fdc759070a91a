package dev.kiln.testenv.capi;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.Map;

/**
 * Writes as Cluster API's controllers do, without losing or repeating what other writers put in. The mock's JSON merge
 * patch appends to lists (a whole-object patch repeated every finalizer on the object), so merge patches carry only
 * the fields they change, and metadata (owner references, labels) goes in an update guarded by resourceVersion.
 */
final class Writes {

    private Writes() {
    }

    /** Merges {@code spec} (no lists in it) into the object's spec. */
    static <T extends HasMetadata> T mergePatchSpec(KubernetesClient client, T object, Object spec) {
        return client.resource(object).patch(PatchContext.of(PatchType.JSON_MERGE),
                client.getKubernetesSerialization().asJson(Map.of("spec", spec)));
    }

    /** Writes the object as read plus the caller's changes; false if someone wrote it meanwhile (next pass retries). */
    static boolean guardedUpdate(KubernetesClient client, HasMetadata object) {
        try {
            client.resource(object).update();
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            return false;
        }
    }
}
