package dev.kiln.testenv;

import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.crud.AttributeType;
import io.fabric8.mockwebserver.crud.Value;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The CRUD mock's stored keys by the attributes nearly every request names (the kind's plural, the name, the
 * namespace), each set in the store's own order. It only narrows: a request's matches are found among the candidates
 * with the mock's own matching, so answers and their order stay those of a scan. Not thread-safe: guarded by the
 * mock's lock.
 */
final class AttributeIndex {

    static final List<String> INDEXED = List.of(KubernetesAttributesExtractor.PLURAL,
            KubernetesAttributesExtractor.NAME, KubernetesAttributesExtractor.NAMESPACE,
            KubernetesAttributesExtractor.METADATA_NAME, KubernetesAttributesExtractor.METADATA_NAMESPACE);
    /** The mock's Value equals every value when either side is this. */
    private static final String ANY = "*";

    private final Set<AttributeSet> members = new HashSet<>();
    private final Map<Attribute, LinkedHashSet<AttributeSet>> byAttribute = new HashMap<>();
    /** Stored keys with a wildcard value in an indexed attribute, which a hash lookup would miss. */
    private int wildcards;

    /** Mirrors a put of a new key at the end of the store; a key already present keeps its place, as in the store. */
    void add(AttributeSet key) {
        if (!members.add(key)) {
            return;
        }
        boolean wildcard = false;
        for (String name : INDEXED) {
            Attribute attribute = key.getAttribute(name);
            if (attribute != null) {
                wildcard |= hasWildcard(attribute);
                byAttribute.computeIfAbsent(attribute, a -> new LinkedHashSet<>()).add(key);
            }
        }
        if (wildcard) {
            wildcards++;
        }
    }

    void remove(AttributeSet key) {
        if (!members.remove(key)) {
            return;
        }
        boolean wildcard = false;
        for (String name : INDEXED) {
            Attribute attribute = key.getAttribute(name);
            if (attribute != null) {
                wildcard |= hasWildcard(attribute);
                LinkedHashSet<AttributeSet> keys = byAttribute.get(attribute);
                if (keys != null && keys.remove(key) && keys.isEmpty()) {
                    byAttribute.remove(attribute);
                }
            }
        }
        if (wildcard) {
            wildcards--;
        }
    }

    void clear() {
        members.clear();
        byAttribute.clear();
        wildcards = 0;
    }

    int size() {
        return members.size();
    }

    /**
     * The stored keys that may match {@code query}, in store order: those sharing the rarest of its indexed exact
     * (WITH) attributes. Null when the index cannot narrow (no such attribute, or a wildcard on either side): scan all.
     */
    Collection<AttributeSet> candidates(AttributeSet query) {
        if (wildcards > 0) {
            return null;
        }
        Collection<AttributeSet> fewest = null;
        for (String name : INDEXED) {
            Attribute attribute = query.getAttribute(name);
            if (attribute == null || attribute.getType() != AttributeType.WITH || hasWildcard(attribute)) {
                continue;
            }
            Collection<AttributeSet> keys = byAttribute.getOrDefault(attribute, new LinkedHashSet<>());
            if (fewest == null || keys.size() < fewest.size()) {
                fewest = keys;
            }
        }
        return fewest;
    }

    private static boolean hasWildcard(Attribute attribute) {
        for (Value value : attribute.getValues()) {
            if (ANY.equals(value.toString())) {
                return true;
            }
        }
        return false;
    }
}
