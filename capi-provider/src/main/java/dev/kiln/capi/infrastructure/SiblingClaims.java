package dev.kiln.capi.infrastructure;

import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachine;
import dev.kiln.capi.cluster.KilnLabels;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import java.util.Optional;
import java.util.Set;

/**
 * Reconciles a cluster's machines still waiting to be provisioned when one of them records the server it claimed, at
 * once rather than at their next resync: no informer of this reconciler sees another KilnMachine's status.
 */
final class SiblingClaims extends AbstractEventSource<Void, KilnMachine> {

    static final String NAME = "kilnmachine-sibling-claims";

    private final IndexerResourceCache<KilnMachine> machines;

    SiblingClaims(EventSourceContext<KilnMachine> context) {
        super(Void.class, NAME);
        this.machines = context.getPrimaryCache();
    }

    void announce(KilnMachine claimant) {
        Optional<String> cluster = KilnLabels.clusterOf(claimant);
        if (cluster.isEmpty() || !isRunning()) {
            return;
        }
        String name = claimant.getMetadata().getName();
        machines.list(claimant.getMetadata().getNamespace(), machine -> !machine.getMetadata().getName().equals(name)
                        && cluster.equals(KilnLabels.clusterOf(machine)) && !KilnMachineReconciler.provisioned(machine))
                .forEach(machine -> getEventHandler().handleEvent(new Event(ResourceID.fromResource(machine))));
    }

    @Override
    public Set<Void> getSecondaryResources(KilnMachine primary) {
        return Set.of();
    }
}
