package dev.kiln.capi.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.Cache;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** An informer cache frozen at the copies it is given: a cache that lags the server by as much as a test wants. */
public record FixedCache<T extends HasMetadata>(List<T> held) implements Cache<T> {

    @Override
    public Optional<T> get(ResourceID id) {
        return held.stream().filter(object -> ResourceID.fromResource(object).equals(id)).findFirst();
    }

    @Override
    public Stream<ResourceID> keys() {
        return held.stream().map(ResourceID::fromResource);
    }

    @Override
    public Stream<T> list(Predicate<T> predicate) {
        return held.stream().filter(predicate);
    }
}
