package dev.kiln.capi.controlplane;

import dev.kiln.capi.cluster.UpgradeAnnotations;
import dev.kiln.capi.controlplane.upgrade.UpgradeFacts.InProgress;
import dev.kiln.capi.core.v1beta1.Machine;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The in-place upgrade asked of a control-plane machine, in {@link UpgradeAnnotations} on its Machine. */
final class UpgradeRecord {

    static final String TARGET = UpgradeAnnotations.TARGET;
    static final String IMAGE = UpgradeAnnotations.IMAGE;
    static final String STARTED = UpgradeAnnotations.STARTED;
    static final Set<String> ANNOTATIONS = UpgradeAnnotations.ALL;

    private UpgradeRecord() {
    }

    static Optional<InProgress> read(Map<String, String> annotations) {
        return UpgradeAnnotations.read(annotations).map(asked -> new InProgress(asked.target(), asked.image(),
                asked.started(), asked.rollbackBefore(), asked.refused()));
    }

    /** Replaces any earlier record on the Machine with {@code record}. */
    static void write(KubernetesClient client, String namespace, String machine, InProgress record) {
        UpgradeAnnotations.write(client, Machine.class, namespace, machine, new UpgradeAnnotations.Asked(
                record.target(), record.image(), record.started(), record.rollbackBefore(), record.refused()));
    }

    static void refused(KubernetesClient client, String namespace, String machine, String why) {
        UpgradeAnnotations.refused(client, Machine.class, namespace, machine, why);
    }
}
