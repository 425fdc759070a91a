package dev.kiln.testenv.capi;

import dev.kiln.capi.api.bootstrap.v1alpha1.KilnConfig;
import dev.kiln.capi.api.bootstrap.v1alpha1.KilnConfigTemplate;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnCluster;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachine;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachineTemplate;
import dev.kiln.capi.core.v1beta1.Machine;
import dev.kiln.capi.core.v1beta1.MachineSpec;
import dev.kiln.capi.core.v1beta1.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Cluster API's MachineSet controller: keeps {@code spec.replicas} Machines, each with a KilnConfig and a
 * KilnMachine cloned from the template's references. Scale up creates one Machine per pass, like the real
 * controller's slow start; scale down deletes every surplus Machine at once, chosen by {@code spec.deletePolicy} as
 * {@link DeletionOrder} ranks them.
 */
@ControllerConfiguration(name = "capi-machineset-standin")
public final class MachineSetStandIn implements Reconciler<MachineSet> {

    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final KubernetesClient client;

    public MachineSetStandIn(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public UpdateControl<MachineSet> reconcile(MachineSet set, Context<MachineSet> context) {
        // every Machine a set creates carries its cluster's label; listing by it keeps a pass from reading the fleet's
        List<Machine> owned = client.resources(Machine.class).inNamespace(set.getMetadata().getNamespace())
                .withLabel(Machine.CLUSTER_NAME_LABEL, set.getSpec().getClusterName()).list()
                .getItems().stream().filter(machine -> Owners.isOwnedBy(machine, set)).toList();
        List<Machine> live = owned.stream().filter(machine -> !machine.isDeleting()).toList();
        int desired = set.getSpec().getReplicas() == null ? 1 : set.getSpec().getReplicas();
        if (live.size() < desired && !clusterDeleting(set)) {
            createMachine(set);
        } else if (live.size() > desired) {
            // Cluster API deletes every surplus Machine at once; pre-terminate hooks hold each one separately.
            DeletionOrder.of(set.getSpec().getDeletePolicy()).pick(live, live.size() - desired, Instant.now())
                    .forEach(machine -> client.resource(machine).delete());
        }
        MachineSet.Status status = new MachineSet.Status();
        status.setReplicas(live.size());
        status.setReadyReplicas((int) live.stream()
                .filter(m -> m.getStatus() != null && "Running".equals(m.getStatus().getPhase())).count());
        // Available as Cluster API counts it with minReadySeconds 0: ready, and not being deleted.
        status.setAvailableReplicas(status.getReadyReplicas());
        set.setStatus(status);
        return UpdateControl.patchStatus(set).rescheduleAfter(Duration.ofSeconds(2));
    }

    /** A Cluster being deleted gets no new Machines: they would only be deleted again. */
    private boolean clusterDeleting(MachineSet set) {
        var cluster = client.resources(dev.kiln.capi.core.v1beta1.Cluster.class)
                .inNamespace(set.getMetadata().getNamespace()).withName(set.getSpec().getClusterName()).get();
        return cluster != null && cluster.getMetadata().getDeletionTimestamp() != null;
    }

    private void createMachine(MachineSet set) {
        String namespace = set.getMetadata().getNamespace();
        String name = set.getMetadata().getName() + "-" + suffix();
        String cluster = set.getSpec().getClusterName();
        MachineSpec template = set.getSpec().getTemplate().getSpec();

        Map<String, String> labels = new HashMap<>();
        ObjectMeta templateMeta = set.getSpec().getTemplate().getMetadata();
        if (templateMeta != null && templateMeta.getLabels() != null) {
            labels.putAll(templateMeta.getLabels());
        }
        labels.put(Machine.CLUSTER_NAME_LABEL, cluster);
        labels.put(MachineSet.NAME_LABEL, set.getMetadata().getName());

        Machine machine = new Machine();
        machine.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).withLabels(labels)
                .withAnnotations(templateMeta == null ? null : templateMeta.getAnnotations())
                .withOwnerReferences(Owners.controller(set)).build());
        MachineSpec spec = Serialization.clone(template);
        spec.setClusterName(cluster);
        MachineSpec.Bootstrap bootstrap = new MachineSpec.Bootstrap();
        bootstrap.setConfigRef(new ObjectReference(KilnConfig.GROUP + "/" + KilnConfig.VERSION, "KilnConfig", name, namespace));
        spec.setBootstrap(bootstrap);
        spec.setInfrastructureRef(new ObjectReference(KilnCluster.GROUP + "/" + KilnCluster.VERSION, "KilnMachine", name,
                namespace));
        machine.setSpec(spec);
        Machine created = client.resource(machine).create();

        KilnConfigTemplate configTemplate = client.resources(KilnConfigTemplate.class).inNamespace(namespace)
                .withName(template.getBootstrap().getConfigRef().getName()).require();
        KilnConfig config = new KilnConfig();
        config.setMetadata(dependentMeta(name, namespace, created));
        config.setSpec(Serialization.clone(configTemplate.getSpec().getTemplate().getSpec()));
        client.resource(config).create();

        KilnMachineTemplate machineTemplate = client.resources(KilnMachineTemplate.class).inNamespace(namespace)
                .withName(template.getInfrastructureRef().getName()).require();
        KilnMachine kilnMachine = new KilnMachine();
        kilnMachine.setMetadata(dependentMeta(name, namespace, created));
        kilnMachine.setSpec(Serialization.clone(machineTemplate.getSpec().getTemplate().getSpec()));
        client.resource(kilnMachine).create();
    }

    /** As Cluster API clones them: the Machine's labels (its template's, the cluster name, a watch filter). */
    private static ObjectMeta dependentMeta(String name, String namespace, Machine owner) {
        return new ObjectMetaBuilder().withName(name).withNamespace(namespace)
                .withLabels(new HashMap<>(owner.getMetadata().getLabels()))
                .withOwnerReferences(Owners.controller(owner)).build();
    }

    private static String suffix() {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            out.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return out.toString();
    }
}
