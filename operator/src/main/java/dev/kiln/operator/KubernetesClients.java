package dev.kiln.operator;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;

/** The management cluster's client: fabric8's own configuration search unless a kubeconfig or URL is given. */
final class KubernetesClients {

    private KubernetesClients() {
    }

    static KubernetesClient create(OperatorSettings settings) {
        Config config;
        if (settings.kubeconfig().isPresent()) {
            try {
                config = Config.fromKubeconfig(settings.kubeconfig().get().toFile());
            } catch (KubernetesClientException e) {
                throw new SettingsException("--kubeconfig: cannot use " + settings.kubeconfig().get() + ": "
                        + e.getMessage());
            }
        } else {
            config = Config.autoConfigure(null);
        }
        settings.masterUrl().ifPresent(config::setMasterUrl);
        return new KubernetesClientBuilder().withConfig(config).build();
    }
}
