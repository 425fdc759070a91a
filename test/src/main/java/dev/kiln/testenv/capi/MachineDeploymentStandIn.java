package dev.kiln.testenv.capi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.kiln.capi.core.v1beta1.Machine;
import dev.kiln.capi.core.v1beta1.MachineDeployment;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Cluster API's MachineDeployment controller with the RollingUpdate strategy: one MachineSet per machine template
 * (named after the deployment and the template's hash, labelled with it), the current template's set scaled up and
 * the older ones down as {@link RollingUpdate} allows, and old sets deleted once they hold no machine. A change of
 * the template (version, bootstrap or infrastructure reference, labels) therefore replaces the Machines within
 * maxSurge and maxUnavailable. The OnDelete strategy is not part of the stand-in.
 */
@ControllerConfiguration(name = "capi-machinedeployment-standin")
public final class MachineDeploymentStandIn implements Reconciler<MachineDeployment> {

    public static final String TEMPLATE_HASH_LABEL = "machine-template-hash";
    public static final String DEPLOYMENT_NAME_LABEL = "cluster.x-k8s.io/deployment-name";
    private static final ObjectMapper CANONICAL = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private final KubernetesClient client;

    public MachineDeploymentStandIn(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public UpdateControl<MachineDeployment> reconcile(MachineDeployment deployment, Context<MachineDeployment> context) {
        String namespace = deployment.getMetadata().getNamespace();
        String cluster = deployment.getSpec().getClusterName();
        // Cluster API's defaulting webhook labels a MachineDeployment with its cluster; deletion finds it by that label.
        Map<String, String> labels = deployment.getMetadata().getLabels() == null ? new HashMap<>()
                : new HashMap<>(deployment.getMetadata().getLabels());
        if (cluster != null && !cluster.equals(labels.get(Machine.CLUSTER_NAME_LABEL))) {
            labels.put(Machine.CLUSTER_NAME_LABEL, cluster);
            deployment.getMetadata().setLabels(labels);
            Writes.guardedUpdate(client, deployment);
            return UpdateControl.<MachineDeployment>noUpdate().rescheduleAfter(Duration.ofMillis(100));
        }
        String hash = templateHash(deployment.getSpec().getTemplate());
        // a deployment's sets and their Machines carry its cluster's label; listing by it keeps a pass from reading the
        // fleet's
        List<MachineSet> sets = client.resources(MachineSet.class).inNamespace(namespace)
                .withLabel(Machine.CLUSTER_NAME_LABEL, deployment.getSpec().getClusterName()).list().getItems().stream()
                .filter(set -> Owners.isOwnedBy(set, deployment) && set.getMetadata().getDeletionTimestamp() == null)
                .sorted(Comparator.comparing((MachineSet set) -> set.getMetadata().getCreationTimestamp(),
                        Comparator.nullsFirst(Comparator.naturalOrder())).thenComparing(set -> set.getMetadata().getName()))
                .toList();
        Optional<MachineSet> current = sets.stream().filter(set -> hash.equals(labelOf(set, TEMPLATE_HASH_LABEL)))
                .findFirst();
        List<MachineSet> old = sets.stream().filter(set -> !hash.equals(labelOf(set, TEMPLATE_HASH_LABEL))).toList();
        int desired = deployment.getSpec().getReplicas() == null ? 1 : deployment.getSpec().getReplicas();
        String newName = deployment.getMetadata().getName() + "-" + hash;
        Map<String, Integer> plan = RollingUpdate.plan(desired, limits(deployment, desired),
                current.map(MachineDeploymentStandIn::state).orElse(new RollingUpdate.SetState(newName, 0, 0)),
                old.stream().map(MachineDeploymentStandIn::state).toList());

        MachineSet newSet = current.orElse(null);
        if (newSet == null && plan.get(newName) > 0) {
            newSet = client.resource(newSet(deployment, newName, hash, plan.get(newName))).create();
        } else if (newSet != null) {
            newSet = scale(newSet, plan.get(newName), deployment);
        }
        List<Machine> machines = old.isEmpty() ? List.of()
                : client.resources(Machine.class).inNamespace(namespace)
                        .withLabel(Machine.CLUSTER_NAME_LABEL, deployment.getSpec().getClusterName()).list().getItems();
        for (MachineSet set : old) {
            MachineSet scaled = scale(set, plan.get(set.getMetadata().getName()), deployment);
            // An old set stays while any machine of it is left, deleting ones included.
            if (scaled.getSpec().getReplicas() == 0 && machines.stream().noneMatch(m -> Owners.isOwnedBy(m, set))) {
                client.resource(scaled).delete();
            }
        }
        deployment.setStatus(status(sets, newSet));
        return UpdateControl.patchStatus(deployment).rescheduleAfter(Duration.ofSeconds(2));
    }

    private static RollingUpdate.SetState state(MachineSet set) {
        int replicas = set.getSpec().getReplicas() == null ? 1 : set.getSpec().getReplicas();
        int available = set.getStatus() == null || set.getStatus().getAvailableReplicas() == null ? 0
                : set.getStatus().getAvailableReplicas();
        return new RollingUpdate.SetState(set.getMetadata().getName(), replicas, available);
    }

    private MachineSet scale(MachineSet set, int replicas, MachineDeployment deployment) {
        if (Objects.equals(set.getSpec().getReplicas(), replicas)
                && Objects.equals(set.getSpec().getDeletePolicy(), deletePolicy(deployment))) {
            return set;
        }
        Map<String, Object> changes = new HashMap<>();
        changes.put("replicas", replicas);
        changes.put("deletePolicy", deletePolicy(deployment));
        return Writes.mergePatchSpec(client, set, changes);
    }

    private static MachineSet newSet(MachineDeployment deployment, String name, String hash, int replicas) {
        String deploymentName = deployment.getMetadata().getName();
        MachineDeployment.Template template = Serialization.clone(deployment.getSpec().getTemplate());
        ObjectMeta templateMeta = template.getMetadata() == null ? new ObjectMeta() : template.getMetadata();
        Map<String, String> machineLabels = templateMeta.getLabels() == null ? new HashMap<>()
                : new HashMap<>(templateMeta.getLabels());
        machineLabels.put(TEMPLATE_HASH_LABEL, hash);
        machineLabels.put(DEPLOYMENT_NAME_LABEL, deploymentName);
        templateMeta.setLabels(machineLabels);
        template.setMetadata(templateMeta);
        MachineSet set = new MachineSet();
        set.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(deployment.getMetadata().getNamespace())
                .withLabels(Map.of(Machine.CLUSTER_NAME_LABEL, deployment.getSpec().getClusterName(),
                        TEMPLATE_HASH_LABEL, hash, DEPLOYMENT_NAME_LABEL, deploymentName))
                .withOwnerReferences(Owners.controller(deployment)).build());
        set.setSpec(new MachineSet.Spec());
        set.getSpec().setClusterName(deployment.getSpec().getClusterName());
        set.getSpec().setTemplate(template);
        LabelSelector selector = deployment.getSpec().getSelector() == null ? new LabelSelector()
                : Serialization.clone(deployment.getSpec().getSelector());
        Map<String, String> matchLabels = selector.getMatchLabels() == null ? new HashMap<>()
                : new HashMap<>(selector.getMatchLabels());
        matchLabels.put(TEMPLATE_HASH_LABEL, hash);
        selector.setMatchLabels(matchLabels);
        set.getSpec().setSelector(selector);
        set.getSpec().setReplicas(replicas);
        set.getSpec().setDeletePolicy(deletePolicy(deployment));
        return set;
    }

    private static MachineDeployment.Status status(List<MachineSet> sets, MachineSet newSet) {
        int replicas = 0;
        int ready = 0;
        int available = 0;
        for (MachineSet set : sets) {
            if (set.getStatus() != null) {
                replicas += orZero(set.getStatus().getReplicas());
                ready += orZero(set.getStatus().getReadyReplicas());
                available += orZero(set.getStatus().getAvailableReplicas());
            }
        }
        MachineDeployment.Status status = new MachineDeployment.Status();
        status.setReplicas(replicas);
        status.setReadyReplicas(ready);
        status.getAdditionalProperties().put("availableReplicas", available);
        status.getAdditionalProperties().put("updatedReplicas", newSet == null || newSet.getStatus() == null ? 0
                : orZero(newSet.getStatus().getReplicas()));
        return status;
    }

    private static int orZero(Integer value) {
        return value == null ? 0 : value;
    }

    /** The hash of the machine template, from its JSON with sorted keys, so equal templates always hash alike. */
    static String templateHash(MachineDeployment.Template template) {
        try {
            JsonNode tree = CANONICAL.readTree(Serialization.asJson(template));
            byte[] canonical = CANONICAL.writeValueAsString(CANONICAL.treeToValue(tree, Object.class))
                    .getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical)).substring(0, 10);
        } catch (java.io.IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot hash the machine template", e);
        }
    }

    private static String labelOf(MachineSet set, String label) {
        return set.getMetadata().getLabels() == null ? null : set.getMetadata().getLabels().get(label);
    }

    private static Map<?, ?> rollingUpdate(MachineDeployment deployment) {
        Object strategy = deployment.getSpec().getAdditionalProperties().get("strategy");
        Object rollingUpdate = strategy instanceof Map<?, ?> s ? s.get("rollingUpdate") : null;
        return rollingUpdate instanceof Map<?, ?> r ? r : Map.of();
    }

    private static RollingUpdate.Limits limits(MachineDeployment deployment, int desired) {
        Map<?, ?> rollingUpdate = rollingUpdate(deployment);
        return RollingUpdate.Limits.resolve(rollingUpdate.get("maxSurge"), rollingUpdate.get("maxUnavailable"),
                desired);
    }

    /** {@code spec.strategy.rollingUpdate.deletePolicy}, which Cluster API passes down to the MachineSets. */
    private static String deletePolicy(MachineDeployment deployment) {
        Object policy = rollingUpdate(deployment).get("deletePolicy");
        return policy == null ? null : policy.toString();
    }
}
