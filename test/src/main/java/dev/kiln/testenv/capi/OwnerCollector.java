package dev.kiln.testenv.capi;

import dev.kiln.capi.api.bootstrap.v1alpha1.KilnConfig;
import dev.kiln.capi.api.controlplane.v1alpha1.KilnControlPlane;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnCluster;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachine;
import dev.kiln.capi.core.v1beta1.Cluster;
import dev.kiln.capi.core.v1beta1.Machine;
import dev.kiln.capi.core.v1beta1.MachineDeployment;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The garbage collector of a real API server, which the mock lacks: deletes objects all of whose owners are gone.
 * It looks for orphans in informer caches, and deletes one only after reading it and its owners live: a cache may
 * not have seen an owner created a moment ago.
 */
public final class OwnerCollector implements AutoCloseable {

    private static final List<Class<? extends HasMetadata>> OWNERS = List.of(Cluster.class, KilnCluster.class,
            KilnControlPlane.class, MachineDeployment.class, MachineSet.class, Machine.class, KilnConfig.class,
            KilnMachine.class);
    private static final List<Class<? extends HasMetadata>> DEPENDENTS = List.of(Secret.class, ConfigMap.class,
            KilnConfig.class, KilnMachine.class, Machine.class, MachineSet.class);

    private final KubernetesClient client;
    private final Map<Class<? extends HasMetadata>, SharedIndexInformer<? extends HasMetadata>> informers =
            new LinkedHashMap<>();
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "owner-collector");
        thread.setDaemon(true);
        return thread;
    });

    public OwnerCollector(KubernetesClient client) {
        this.client = client;
    }

    public OwnerCollector start() {
        Set<Class<? extends HasMetadata>> kinds = new LinkedHashSet<>(OWNERS);
        kinds.addAll(DEPENDENTS);
        for (Class<? extends HasMetadata> kind : kinds) {
            informers.put(kind, client.resources(kind).inAnyNamespace().inform());
        }
        loop.scheduleWithFixedDelay(this::collectQuietly, 1, 1, TimeUnit.SECONDS);
        return this;
    }

    private void collectQuietly() {
        try {
            collect();
        } catch (KubernetesClientException e) {
            // The next pass sees the same state and tries again.
        }
    }

    public void collect() {
        for (HasMetadata candidate : orphans(cachedOwnerUids())) {
            HasMetadata live = client.resource(candidate).get();
            if (live != null && live.getMetadata().getUid().equals(candidate.getMetadata().getUid())
                    && live.getMetadata().getDeletionTimestamp() == null && orphaned(live)) {
                client.resource(live).delete();
            }
        }
    }

    private Set<String> cachedOwnerUids() {
        Set<String> uids = new HashSet<>();
        for (Class<? extends HasMetadata> owner : OWNERS) {
            informers.get(owner).getStore().list().forEach(object -> uids.add(object.getMetadata().getUid()));
        }
        return uids;
    }

    private List<HasMetadata> orphans(Set<String> liveUids) {
        List<HasMetadata> orphans = new ArrayList<>();
        for (Class<? extends HasMetadata> dependent : DEPENDENTS) {
            for (HasMetadata object : informers.get(dependent).getStore().list()) {
                List<OwnerReference> refs = object.getMetadata().getOwnerReferences();
                if (refs != null && !refs.isEmpty() && object.getMetadata().getDeletionTimestamp() == null
                        && refs.stream().noneMatch(ref -> liveUids.contains(ref.getUid()))) {
                    orphans.add(object);
                }
            }
        }
        return orphans;
    }

    /** Read live: no owner of {@code object} exists as an object of an owning kind with the referenced uid. */
    private boolean orphaned(HasMetadata object) {
        List<OwnerReference> refs = object.getMetadata().getOwnerReferences();
        if (refs == null || refs.isEmpty()) {
            return false;
        }
        for (OwnerReference ref : refs) {
            for (Class<? extends HasMetadata> owner : OWNERS) {
                if (!HasMetadata.getKind(owner).equals(ref.getKind())) {
                    continue;
                }
                HasMetadata found = client.resources(owner).inNamespace(object.getMetadata().getNamespace())
                        .withName(ref.getName()).get();
                if (found != null && ref.getUid().equals(found.getMetadata().getUid())) {
                    return false;
                }
            }
        }
        return true;
    }

    @Override
    public void close() {
        loop.shutdownNow();
        informers.values().forEach(SharedIndexInformer::close);
    }
}
