package dev.kiln.capi.infrastructure;

import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachine;
import dev.kiln.capi.cluster.UpgradeAnnotations;
import dev.kiln.capi.infrastructure.upgrade.WorkerUpgradeFacts.Asked;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.Optional;

/** The upgrade asked of a worker's node, in {@link UpgradeAnnotations} on its KilnMachine (the control plane's keys). */
final class WorkerUpgradeRecord {

    static final String TARGET = UpgradeAnnotations.TARGET;
    static final String IMAGE = UpgradeAnnotations.IMAGE;
    static final String REFUSED = UpgradeAnnotations.REFUSED;

    private WorkerUpgradeRecord() {
    }

    static Optional<Asked> read(Map<String, String> annotations) {
        return UpgradeAnnotations.read(annotations).map(asked -> new Asked(asked.target(), asked.image(),
                asked.started(), asked.rollbackBefore(), asked.refused()));
    }

    static void write(KubernetesClient client, KilnMachine machine, Asked asked) {
        UpgradeAnnotations.write(client, KilnMachine.class, machine.getMetadata().getNamespace(),
                machine.getMetadata().getName(), new UpgradeAnnotations.Asked(asked.target(), asked.image(),
                        asked.started(), asked.rollbackBefore(), asked.refused()));
    }

    static void refused(KubernetesClient client, KilnMachine machine, String why) {
        UpgradeAnnotations.refused(client, KilnMachine.class, machine.getMetadata().getNamespace(),
                machine.getMetadata().getName(), why);
    }
}
