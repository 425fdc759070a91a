package dev.kiln.testenv;

import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachine;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnServer;
import dev.kiln.capi.core.v1beta1.Machine;
import io.fabric8.kubernetes.client.KubernetesClient;

/** The machine-related objects of the management API as text, for a failure message that says where things stopped. */
final class ManagementSnapshot {

    private ManagementSnapshot() {
    }

    static String describe(KubernetesClient client) {
        var json = client.getKubernetesSerialization();
        var namespace = LocalEnvironment.NAMESPACE;
        StringBuilder text = new StringBuilder("\nmanagement API objects:");
        for (Machine m : client.resources(Machine.class).inNamespace(namespace).list().getItems()) {
            text.append("\n  Machine ").append(m.getMetadata().getName()).append(" phase=")
                    .append(m.getStatus() == null ? null : m.getStatus().getPhase())
                    .append(" providerID=").append(m.getSpec().getProviderID())
                    .append(m.getMetadata().getDeletionTimestamp() == null ? "" : " deleting");
        }
        for (KilnMachine m : client.resources(KilnMachine.class).inNamespace(namespace).list().getItems()) {
            text.append("\n  KilnMachine ").append(m.getMetadata().getName()).append(" status=")
                    .append(json.asJson(m.getStatus()));
        }
        for (KilnServer s : client.resources(KilnServer.class).inNamespace(namespace).list().getItems()) {
            text.append("\n  KilnServer ").append(s.getMetadata().getName()).append(" status=")
                    .append(json.asJson(s.getStatus()));
        }
        client.configMaps().inNamespace(namespace).list().getItems().forEach(c -> text.append("\n  ConfigMap ")
                .append(c.getMetadata().getName()).append(' ').append(c.getData()));
        return text.toString();
    }
}
