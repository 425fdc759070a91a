package dev.kiln.capi.cluster;

import dev.kiln.capi.core.v1beta1.Cluster;
import dev.kiln.machinery.cluster.BootstrapRecordView;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The cluster's bootstrap record (I1): a ConfigMap created create-if-absent before Bootstrap is called, naming the
 * chosen machine and the operator instance that holds it, and completed with the etcd cluster ID afterwards. Owned
 * by the Cluster and labelled with its name, so it moves with the Cluster and outlives operator restarts.
 */
public final class BootstrapRecordStore {

    /** A holder that has not renewed for this long is presumed gone; another instance may take the record over. */
    public static final Duration HOLD_TIMEOUT = Duration.ofSeconds(30);

    public record Record(String machine, String holder, Instant heldUntil, boolean completed, String etcdClusterId,
            String resourceVersion) {

        public BootstrapRecordView view() {
            return new BootstrapRecordView(machine, completed, etcdClusterId);
        }
    }

    /** Outcome of trying to become the record's holder. */
    public sealed interface Claim {
        record Created(Record record) implements Claim {
        }

        record Held(Record record) implements Claim {
        }

        record HeldByAnother(Record record) implements Claim {
        }
    }

    private final KubernetesClient client;
    private final String holderIdentity;
    private final Clock clock;

    public BootstrapRecordStore(KubernetesClient client, String holderIdentity, Clock clock) {
        this.client = client;
        this.holderIdentity = holderIdentity;
        this.clock = clock;
    }

    public Optional<Record> read(Cluster cluster) {
        ConfigMap map = configMaps(cluster).withName(name(cluster)).get();
        return Optional.ofNullable(map).map(BootstrapRecordStore::toRecord);
    }

    /**
     * Like {@link #read(Cluster)}, from {@code cached} when it shows the record completed: a completed record never
     * changes again. Any other state may be behind the server and is read live.
     */
    public Optional<Record> read(Cluster cluster, CachedReads<ConfigMap> cached) {
        Optional<Record> seen = cached.get(cluster.getMetadata().getNamespace(), name(cluster))
                .map(BootstrapRecordStore::toRecord);
        return seen.isPresent() && seen.get().completed() ? seen : read(cluster);
    }

    /**
     * Creates the record naming {@code machine}, or, when it exists and is not completed, becomes its holder if the
     * previous holder let it lapse. The record's machine never changes once written.
     */
    public Claim claim(Cluster cluster, String machine) {
        Instant until = clock.instant().plus(HOLD_TIMEOUT);
        ConfigMap fresh = recordMap(cluster, data(machine, holderIdentity, until, false, ""));
        try {
            return new Claim.Created(toRecord(configMaps(cluster).resource(fresh).create()));
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
        }
        Record existing = read(cluster).orElseThrow();
        if (existing.completed() || existing.holder().equals(holderIdentity)) {
            return existing.holder().equals(holderIdentity) ? renew(cluster, existing) : new Claim.HeldByAnother(existing);
        }
        if (existing.heldUntil().isAfter(clock.instant())) {
            return new Claim.HeldByAnother(existing);
        }
        return takeOver(cluster, existing);
    }

    /**
     * Writes the record completed with the cluster ID etcd on the nodes already reports, for a cluster whose record
     * was lost; an existing record, whoever wrote it, is left as it is and returned.
     */
    public Record recordExisting(Cluster cluster, String machine, String etcdClusterId) {
        ConfigMap restored = recordMap(cluster, data(machine, holderIdentity, clock.instant(), true, etcdClusterId));
        try {
            return toRecord(configMaps(cluster).resource(restored).create());
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            return read(cluster).orElseThrow();
        }
    }

    /** Labelled with and owned by the Cluster, so it moves with it (clusterctl move) and goes with it. */
    private static ConfigMap recordMap(Cluster cluster, Map<String, String> data) {
        return new ConfigMapBuilder()
                .withNewMetadata()
                    .withName(name(cluster))
                    .withNamespace(cluster.getMetadata().getNamespace())
                    .withLabels(KilnLabels.forCluster(cluster.getMetadata().getName()))
                    .withOwnerReferences(KilnLabels.ownedBy(cluster, false))
                .endMetadata()
                .withData(data)
                .build();
    }

    private Claim renew(Cluster cluster, Record existing) {
        return replace(cluster, existing, data(existing.machine(), holderIdentity, clock.instant().plus(HOLD_TIMEOUT),
                existing.completed(), existing.etcdClusterId()));
    }

    private Claim takeOver(Cluster cluster, Record lapsed) {
        return replace(cluster, lapsed, data(lapsed.machine(), holderIdentity, clock.instant().plus(HOLD_TIMEOUT),
                false, ""));
    }

    /** An update carrying the read resourceVersion: of two instances taking over, only one succeeds. */
    private Claim replace(Cluster cluster, Record previous, Map<String, String> data) {
        ConfigMap current = configMaps(cluster).withName(name(cluster)).get();
        if (current == null || !current.getMetadata().getResourceVersion().equals(previous.resourceVersion())) {
            return new Claim.HeldByAnother(read(cluster).orElse(previous));
        }
        current.setData(data);
        try {
            return new Claim.Held(toRecord(configMaps(cluster).resource(current).update()));
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            return new Claim.HeldByAnother(read(cluster).orElse(previous));
        }
    }

    /**
     * Marks the record completed with the etcd cluster ID while this instance still holds it; empty when another
     * instance took it over or completed it meanwhile, so exactly one instance completes each record.
     */
    public Optional<Record> complete(Cluster cluster, Record held, String etcdClusterId) {
        ConfigMap current = configMaps(cluster).withName(name(cluster)).get();
        if (current == null) {
            return Optional.empty();
        }
        Record now = toRecord(current);
        if (now.completed() || !now.holder().equals(holderIdentity)) {
            return Optional.empty();
        }
        current.setData(data(held.machine(), holderIdentity, clock.instant(), true, etcdClusterId));
        try {
            return Optional.of(toRecord(configMaps(cluster).resource(current).update()));
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            return Optional.empty();
        }
    }

    private io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<ConfigMap, io.fabric8.kubernetes.api.model.ConfigMapList,
            io.fabric8.kubernetes.client.dsl.Resource<ConfigMap>> configMaps(Cluster cluster) {
        return client.configMaps().inNamespace(cluster.getMetadata().getNamespace());
    }

    private static String name(Cluster cluster) {
        return KilnLabels.bootstrapRecordName(cluster.getMetadata().getName());
    }

    private static Map<String, String> data(String machine, String holder, Instant until, boolean completed,
            String clusterId) {
        Map<String, String> data = new HashMap<>();
        data.put("machine", machine);
        data.put("holder", holder);
        data.put("heldUntil", until.toString());
        data.put("completed", Boolean.toString(completed));
        data.put("etcdClusterId", clusterId);
        return data;
    }

    private static Record toRecord(ConfigMap map) {
        Map<String, String> data = map.getData() == null ? Map.of() : map.getData();
        return new Record(data.getOrDefault("machine", ""), data.getOrDefault("holder", ""),
                Instant.parse(data.getOrDefault("heldUntil", Instant.EPOCH.toString())),
                Boolean.parseBoolean(data.getOrDefault("completed", "false")), data.getOrDefault("etcdClusterId", ""),
                map.getMetadata().getResourceVersion());
    }
}
