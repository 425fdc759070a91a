package dev.kiln.capi.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

/**
 * Replaces an object's whole status with one JSON Patch {@code add /status}. Not through UpdateControl.patchStatus:
 * without server-side apply JOSDK sends a JSON Patch diffed against its cached copy, which drops any field the stale
 * copy happens to hold at the new value. Not a merge patch either: the CRUD mock merges lists on it.
 */
public final class StatusReplace {

    private StatusReplace() {
    }

    public static <T extends HasMetadata> void write(KubernetesClient client, Class<T> type, T object, Object status) {
        String replaceStatus = "[{\"op\":\"add\",\"path\":\"/status\",\"value\":"
                + client.getKubernetesSerialization().asJson(status) + "}]";
        client.resources(type).inNamespace(object.getMetadata().getNamespace())
                .withName(object.getMetadata().getName()).subresource("status")
                .patch(PatchContext.of(PatchType.JSON), replaceStatus);
    }
}
