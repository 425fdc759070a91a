package dev.kiln.testenv;

import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.crud.AttributeType;
import io.fabric8.mockwebserver.crud.Value;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A copy of the CRUD mock's store (its keys and stored texts, in its order), with the keys also filed by the
 * attributes nearly every request names: the kind's plural, the name, the namespace. It only narrows: a request's
 * matches are found among the candidates with the mock's own matching, so answers and their order stay those of a
 * scan. Not thread-safe: guarded by the mock's lock.
 */
final class AttributeIndex {

    static final List<String> INDEXED = List.of(KubernetesAttributesExtractor.PLURAL,
            KubernetesAttributesExtractor.NAME, KubernetesAttributesExtractor.NAMESPACE,
            KubernetesAttributesExtractor.METADATA_NAME, KubernetesAttributesExtractor.METADATA_NAMESPACE);
    private static final List<String> HASHED = List.of(KubernetesAttributesExtractor.PLURAL,
            KubernetesAttributesExtractor.NAME, KubernetesAttributesExtractor.NAMESPACE,
            KubernetesAttributesExtractor.API, KubernetesAttributesExtractor.VERSION);
    /** The mock's Value equals every value when either side is this. */
    private static final String ANY = "*";

    /**
     * A stored key with a hash spread over what tells objects apart: an AttributeSet's own hash sums its attributes'
     * hashes, and thousands of similar objects collide on it.
     */
    private static final class Handle {
        final AttributeSet key;
        final int hash;

        Handle(AttributeSet key) {
            this.key = key;
            int h = 1;
            for (String name : HASHED) {
                h = 31 * h + Objects.hashCode(key.getAttribute(name));
            }
            this.hash = h;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Handle handle && key.equals(handle.key);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    private final LinkedHashMap<Handle, String> stored = new LinkedHashMap<>();
    private final Map<Attribute, LinkedHashSet<Handle>> byAttribute = new HashMap<>();
    /** Stored keys with a wildcard value in an indexed attribute, which a hash lookup would miss. */
    private int wildcards;

    /** Mirrors the store's put: a new key goes last, a key already stored keeps its place and takes the text. */
    void put(AttributeSet key, String text) {
        Handle handle = new Handle(key);
        if (stored.put(handle, text) != null) {
            return;
        }
        boolean wildcard = false;
        for (String name : INDEXED) {
            Attribute attribute = key.getAttribute(name);
            if (attribute != null) {
                wildcard |= hasWildcard(attribute);
                byAttribute.computeIfAbsent(attribute, a -> new LinkedHashSet<>()).add(handle);
            }
        }
        if (wildcard) {
            wildcards++;
        }
    }

    void remove(AttributeSet key) {
        Handle handle = new Handle(key);
        if (stored.remove(handle) == null) {
            return;
        }
        boolean wildcard = false;
        for (String name : INDEXED) {
            Attribute attribute = key.getAttribute(name);
            if (attribute != null) {
                wildcard |= hasWildcard(attribute);
                LinkedHashSet<Handle> handles = byAttribute.get(attribute);
                if (handles != null && handles.remove(handle) && handles.isEmpty()) {
                    byAttribute.remove(attribute);
                }
            }
        }
        if (wildcard) {
            wildcards--;
        }
    }

    void clear() {
        stored.clear();
        byAttribute.clear();
        wildcards = 0;
    }

    int size() {
        return stored.size();
    }

    /** The stored keys and texts matching {@code query} by the mock's own matching, in store order. */
    List<Map.Entry<AttributeSet, String>> matching(AttributeSet query) {
        List<Map.Entry<AttributeSet, String>> matches = new ArrayList<>();
        for (Handle handle : candidates(query)) {
            if (handle.key.matches(query)) {
                matches.add(new AbstractMap.SimpleImmutableEntry<>(handle.key, stored.get(handle)));
            }
        }
        return matches;
    }

    /** The first stored key and text matching {@code query}, in store order; null if none. */
    Map.Entry<AttributeSet, String> first(AttributeSet query) {
        for (Handle handle : candidates(query)) {
            if (handle.key.matches(query)) {
                return new AbstractMap.SimpleImmutableEntry<>(handle.key, stored.get(handle));
            }
        }
        return null;
    }

    /**
     * The stored keys sharing the rarest of the query's indexed exact (WITH) attributes, in store order; all of them
     * when the index cannot narrow (no such attribute, or a wildcard on either side).
     */
    private Collection<Handle> candidates(AttributeSet query) {
        Collection<Handle> fewest = null;
        if (wildcards == 0) {
            for (String name : INDEXED) {
                Attribute attribute = query.getAttribute(name);
                if (attribute == null || attribute.getType() != AttributeType.WITH || hasWildcard(attribute)) {
                    continue;
                }
                Collection<Handle> handles = byAttribute.getOrDefault(attribute, new LinkedHashSet<>());
                if (fewest == null || handles.size() < fewest.size()) {
                    fewest = handles;
                }
            }
        }
        return new ArrayList<>(fewest == null ? stored.keySet() : fewest);
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
