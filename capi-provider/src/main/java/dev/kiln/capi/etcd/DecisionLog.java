package dev.kiln.capi.etcd;

import dev.kiln.capi.cluster.KilnEvents;
import dev.kiln.capi.core.v1beta1.Cluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records each pass's decision without touching the Cluster's status (it belongs to Cluster API): an Event on the
 * Cluster for every change and for every new reason to wait, and the latest decision in the Cluster annotation
 * {@value #LAST_DECISION}, which is also how a repeated wait is recognised across passes, restarts and replicas.
 * Messages name machines and member ids only, never secrets.
 */
final class DecisionLog {

    static final String LAST_DECISION = "kiln.dev/etcd-last-decision";

    private static final Logger LOG = LoggerFactory.getLogger(DecisionLog.class);

    private final KubernetesClient client;
    private final KilnEvents events;

    DecisionLog(KubernetesClient client, KilnEvents events) {
        this.client = client;
        this.events = events;
    }

    void record(Cluster cluster, Decision decision) {
        String summary = decision.summary();
        boolean changed = !summary.equals(lastDecision(cluster));
        if (decision.acted() || changed) {
            LOG.info("cluster {}/{}: {}", cluster.getMetadata().getNamespace(), cluster.getMetadata().getName(), summary);
            events.record(cluster, decision.type(), decision.reason(), decision.message());
        }
        if (changed) {
            remember(cluster, summary);
        }
    }

    static String lastDecision(Cluster cluster) {
        Map<String, String> annotations = cluster.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(LAST_DECISION);
    }

    private void remember(Cluster cluster, String summary) {
        var serialization = client.getKubernetesSerialization();
        String patch = "{\"metadata\":{\"annotations\":{" + serialization.asJson(LAST_DECISION) + ":"
                + serialization.asJson(summary) + "}}}";
        try {
            client.resources(Cluster.class).inNamespace(cluster.getMetadata().getNamespace())
                    .withName(cluster.getMetadata().getName()).patch(PatchContext.of(PatchType.JSON_MERGE), patch);
        } catch (KubernetesClientException e) {
            // The Event already carries the decision; a lost annotation only means one repeated Event later.
            LOG.debug("could not annotate cluster {} with its last etcd decision: {}", cluster.getMetadata().getName(),
                    e.getMessage());
        }
    }
}
