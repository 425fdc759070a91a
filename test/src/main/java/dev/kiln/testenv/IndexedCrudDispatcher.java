package dev.kiln.testenv;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesResponseComposer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.http.MockResponse;
import java.lang.reflect.Field;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * fabric8's CRUD dispatcher (7.5.2) answering gets, lists, deletes and its writes' lookups from an
 * {@link AttributeIndex} instead of matching every stored object (and looking each match up in a map whose keys'
 * hashes collide): with thousands of objects the scans made the mock, not the operator, the pace of a fleet-scale run. Everything else is the mock's own: the store, its order, the
 * matching, resourceVersions, watches, patches, status, finalizers and conflicts. The index changes under the mock's
 * lock, right after every change to the store; should it ever disagree with the store it is rebuilt from it.
 */
class IndexedCrudDispatcher extends KubernetesCrudDispatcher {

    /** The mock answers these lists, when it stores nothing under them, with the group version's resources. */
    private static final Pattern API_RESOURCE_LIST =
            Pattern.compile("/apis(/([a-zA-Z0-9-_.]+))?(/([a-zA-Z0-9-_]+))");

    private final ReadWriteLock storeLock = mockLock(this);
    private final AttributeIndex index = new AttributeIndex();
    private final AtomicLong resourceVersion = new AtomicLong();
    private final KubernetesAttributesExtractor extractor = (KubernetesAttributesExtractor) getAttributeExtractor();
    private final KubernetesResponseComposer composer = (KubernetesResponseComposer) getResponseComposer();
    private long rebuilds;

    /** The mock's read-write lock over its store, which is private to it: the index must change under the same lock. */
    private static ReadWriteLock mockLock(KubernetesCrudDispatcher dispatcher) {
        try {
            Field lock = KubernetesCrudDispatcher.class.getDeclaredField("lock");
            lock.setAccessible(true);
            return (ReadWriteLock) lock.get(dispatcher);
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new IllegalStateException("fabric8's KubernetesCrudDispatcher has no ReadWriteLock field 'lock' "
                    + "(another fabric8 version?); the indexed dispatcher cannot guard its index", e);
        }
    }

    @Override
    public long requestResourceVersion() {
        long version = super.requestResourceVersion();
        resourceVersion.accumulateAndGet(version, Math::max);
        return version;
    }

    @Override
    public MockResponse handleGet(String path) {
        if (isWatch(path) || API_RESOURCE_LIST.matcher(path).matches()) {
            return super.handleGet(path);
        }
        return locked(storeLock.readLock(), () -> {
            AttributeSet query = extractor.fromPath(path);
            List<String> items = new ArrayList<>();
            for (Map.Entry<AttributeSet, String> match : index.matching(query)) {
                items.add(match.getValue());
            }
            return answer(query, items);
        });
    }

    @Override
    public MockResponse handleDelete(String path) {
        return locked(storeLock.writeLock(), () -> {
            AttributeSet query = extractor.fromPath(path);
            List<String> items = new ArrayList<>();
            for (Map.Entry<AttributeSet, String> match : index.matching(query)) {
                items.add(match.getValue());
                delete(path, query, match.getKey(), match.getValue());
            }
            return answer(query, items);
        });
    }

    /** As the mock deletes: at once without finalizers, else marked once with a deletionTimestamp. */
    private void delete(String path, AttributeSet query, AttributeSet key, String stored) {
        GenericKubernetesResource resource = Serialization.unmarshal(stored, GenericKubernetesResource.class);
        if (resource.getFinalizers().isEmpty()) {
            processEvent(path, query, key, null, null);
        } else if (!resource.isMarkedForDeletion()) {
            resource.getMetadata().setDeletionTimestamp(ZonedDateTime.now(ZoneOffset.UTC)
                    .truncatedTo(ChronoUnit.SECONDS).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
            resource.getMetadata().setResourceVersion(String.valueOf(requestResourceVersion()));
            processEvent(path, query, key, resource, Serialization.asJson(resource));
        }
    }

    /** One object when the path names one (404 if none), else a List at the store's latest resourceVersion. */
    private MockResponse answer(AttributeSet query, List<String> items) {
        MockResponse response = new MockResponse();
        if (query.containsKey(KubernetesAttributesExtractor.NAME)) {
            if (items.isEmpty()) {
                return response.setResponseCode(HttpURLConnection.HTTP_NOT_FOUND);
            }
            return response.setResponseCode(HttpURLConnection.HTTP_OK).setBody(items.get(0));
        }
        return response.setResponseCode(HttpURLConnection.HTTP_OK)
                .setBody(composer.compose(items, String.valueOf(resourceVersion.get())));
    }

    @Override
    public Map.Entry<AttributeSet, String> findResource(AttributeSet attributes) {
        // the mock calls this holding its lock
        return index.first(attributes);
    }

    @Override
    public void processEvent(String path, AttributeSet pathAttributes, AttributeSet oldAttributes,
            GenericKubernetesResource resource, String newState) {
        // the mock calls this holding its write lock; the key is worked out as the mock does, before it stores
        AttributeSet stored = newState == null ? null : storedKey(pathAttributes, resource, newState);
        super.processEvent(path, pathAttributes, oldAttributes, resource, newState);
        if (oldAttributes != null) {
            index.remove(oldAttributes);
        }
        if (stored != null) {
            index.put(stored, newState);
        }
        if (index.size() != map.size()) {
            rebuilds++;
            rebuild();
        }
    }

    private AttributeSet storedKey(AttributeSet pathAttributes, GenericKubernetesResource resource, String newState) {
        AttributeSet key = resource != null ? extractor.extract(resource) : extractor.fromResource(newState);
        return key.containsKey(KubernetesAttributesExtractor.PLURAL) ? key : AttributeSet.merge(pathAttributes, key);
    }

    @Override
    public void reset() {
        super.reset();
        locked(storeLock.writeLock(), () -> {
            rebuild();
            return null;
        });
    }

    // CrudDispatcher's plain-text writes bypass processEvent; the Kubernetes dispatcher never calls them, others might
    @Override
    public MockResponse handleCreate(String path, String body) {
        return locked(storeLock.writeLock(), () -> rebuilt(super.handleCreate(path, body)));
    }

    @Override
    public MockResponse handlePatch(String path, String body) {
        return locked(storeLock.writeLock(), () -> rebuilt(super.handlePatch(path, body)));
    }

    @Override
    public MockResponse handleUpdate(String path, String body) {
        return locked(storeLock.writeLock(), () -> rebuilt(super.handleUpdate(path, body)));
    }

    private MockResponse rebuilt(MockResponse response) {
        rebuild();
        return response;
    }

    /** How often the index disagreed with the store after a change and was rebuilt; it never should. */
    long rebuilds() {
        return locked(storeLock.readLock(), () -> rebuilds);
    }

    private void rebuild() {
        index.clear();
        synchronized (map) {
            map.forEach(index::put);
        }
    }

    /** The mock's test for a watch: {@code watch=true} anywhere in a well-formed query string. */
    private static boolean isWatch(String path) {
        try {
            String query = new URI(path).getQuery();
            return query != null && query.contains("watch=true");
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static <T> T locked(Lock lock, Supplier<T> action) {
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }
}
