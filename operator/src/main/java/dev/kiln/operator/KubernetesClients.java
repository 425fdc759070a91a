package dev.kiln.operator;

import dev.kiln.machinery.threads.BoundedThreads;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;

/** The management cluster's client: fabric8's own configuration search unless a kubeconfig or URL is given. */
final class KubernetesClients {

    /**
     * Threads for responses and for informer events each: both only parse or hand events on (to JOSDK's queues), so a
     * few keep up, where fabric8's cached pools grew a thread per concurrent response and per busy informer.
     */
    static final int THREADS = Math.max(4, Runtime.getRuntime().availableProcessors());

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
        return new KubernetesClientBuilder().withConfig(config)
                .withHttpClientFactory(new BoundedJdkHttpClientFactory(THREADS))
                .withTaskExecutorSupplier(new InformerThreads())
                .build();
    }

    /**
     * The client's task executor: informers hand their events to handlers here, one at a time per informer, and
     * watches reconnect from here.
     */
    private static final class InformerThreads implements KubernetesClientBuilder.ExecutorSupplier {
        @Override
        public Executor get() {
            return BoundedThreads.pool("kiln-k8s-informer", THREADS);
        }

        @Override
        public void onClose(Executor executor) {
            ((ExecutorService) executor).shutdownNow();
        }
    }
}
