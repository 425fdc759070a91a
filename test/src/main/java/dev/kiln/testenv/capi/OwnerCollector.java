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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The garbage collector of a real API server, which the mock lacks: deletes objects all of whose owners are gone.
 */
public final class OwnerCollector implements AutoCloseable {

    private static final List<Class<? extends HasMetadata>> OWNERS = List.of(Cluster.class, KilnCluster.class,
            KilnControlPlane.class, MachineDeployment.class, MachineSet.class, Machine.class, KilnConfig.class,
            KilnMachine.class);
    private static final List<Class<? extends HasMetadata>> DEPENDENTS = List.of(Secret.class, ConfigMap.class,
            KilnConfig.class, KilnMachine.class, Machine.class, MachineSet.class);

    private final KubernetesClient client;
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "owner-collector");
        thread.setDaemon(true);
        return thread;
    });

    public OwnerCollector(KubernetesClient client) {
        this.client = client;
    }

    public OwnerCollector start() {
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
        List<HasMetadata> candidates = orphans(liveOwnerUids());
        // Owners listed again after the dependents: an owner created meanwhile must not lose its new dependents.
        Set<String> stillLive = liveOwnerUids();
        for (HasMetadata orphan : candidates) {
            if (orphan.getMetadata().getOwnerReferences().stream().noneMatch(ref -> stillLive.contains(ref.getUid()))) {
                client.resource(orphan).delete();
            }
        }
    }

    private Set<String> liveOwnerUids() {
        Set<String> uids = new HashSet<>();
        for (Class<? extends HasMetadata> owner : OWNERS) {
            client.resources(owner).inAnyNamespace().list().getItems()
                    .forEach(object -> uids.add(object.getMetadata().getUid()));
        }
        return uids;
    }

    private List<HasMetadata> orphans(Set<String> liveUids) {
        List<HasMetadata> orphans = new java.util.ArrayList<>();
        for (Class<? extends HasMetadata> dependent : DEPENDENTS) {
            for (HasMetadata object : client.resources(dependent).inAnyNamespace().list().getItems()) {
                List<OwnerReference> refs = object.getMetadata().getOwnerReferences();
                if (refs != null && !refs.isEmpty() && object.getMetadata().getDeletionTimestamp() == null
                        && refs.stream().noneMatch(ref -> liveUids.contains(ref.getUid()))) {
                    orphans.add(object);
                }
            }
        }
        return orphans;
    }

    @Override
    public void close() {
        loop.shutdownNow();
    }
}
