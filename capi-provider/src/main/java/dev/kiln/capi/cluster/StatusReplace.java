package dev.kiln.capi.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Replaces an object's whole status with one JSON Patch {@code add /status}. Not through UpdateControl.patchStatus:
 * without server-side apply JOSDK sends a JSON Patch diffed against its cached copy, which drops any field the stale
 * copy happens to hold at the new value. Not a merge patch either: the CRUD mock merges lists on it.
 * A write is skipped when the object as read is still at the resourceVersion of this process's last status write to
 * it and the status is the same: the server holds it already, and a steady state then makes no writes.
 */
public final class StatusReplace {

    private record Key(String server, String type, String namespace, String name, String uid) {
    }

    private record Written(String resourceVersion, String status) {
    }

    private static final int REMEMBERED = 20_000;

    private static final Map<Key, Written> LAST_WRITTEN = Collections.synchronizedMap(
            new LinkedHashMap<>(256, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Key, Written> eldest) {
                    return size() > REMEMBERED;
                }
            });

    private StatusReplace() {
    }

    /**
     * Whether {@code seen} (an informer's copy) may predate this process's last status write to it: that write
     * answered another resourceVersion. Without such a write the copy is as new as anything this process wrote.
     */
    public static <T extends HasMetadata> boolean mayLagOwnWrite(KubernetesClient client, Class<T> type, T seen) {
        Written last = LAST_WRITTEN.get(key(client, type, seen));
        return last != null && !last.resourceVersion().equals(seen.getMetadata().getResourceVersion());
    }

    /**
     * Notes that the server holds {@code fresh}, just read: when its status is the one this process last wrote, copies
     * at its resourceVersion no longer {@link #mayLagOwnWrite lag} that write.
     */
    public static <T extends HasMetadata> void seen(KubernetesClient client, Class<T> type, T fresh, Object status) {
        Key key = key(client, type, fresh);
        Written last = LAST_WRITTEN.get(key);
        if (last != null && last.status().equals(client.getKubernetesSerialization().asJson(status))) {
            LAST_WRITTEN.put(key, new Written(fresh.getMetadata().getResourceVersion(), last.status()));
        }
    }

    public static <T extends HasMetadata> void write(KubernetesClient client, Class<T> type, T object, Object status) {
        String json = client.getKubernetesSerialization().asJson(status);
        Key key = key(client, type, object);
        Written last = LAST_WRITTEN.get(key);
        String readAt = object.getMetadata().getResourceVersion();
        if (last != null && readAt != null && readAt.equals(last.resourceVersion()) && json.equals(last.status())) {
            return;
        }
        T written = client.resources(type).inNamespace(object.getMetadata().getNamespace())
                .withName(object.getMetadata().getName()).subresource("status")
                .patch(PatchContext.of(PatchType.JSON), "[{\"op\":\"add\",\"path\":\"/status\",\"value\":" + json + "}]");
        if (written != null && written.getMetadata() != null) {
            LAST_WRITTEN.put(key, new Written(written.getMetadata().getResourceVersion(), json));
        }
    }

    private static Key key(KubernetesClient client, Class<?> type, HasMetadata object) {
        return new Key(String.valueOf(client.getMasterUrl()), type.getName(), object.getMetadata().getNamespace(),
                object.getMetadata().getName(), object.getMetadata().getUid());
    }
}
