package dev.kiln.testenv.capi;

import dev.kiln.capi.api.bootstrap.v1alpha1.KilnConfig;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachine;
import dev.kiln.capi.core.v1beta1.Machine;
import dev.kiln.capi.core.v1beta1.MachineAddress;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Cluster API's Machine controller, as far as Kiln relies on it: adopts the bootstrap and infrastructure objects,
 * passes the bootstrap data secret down and the providerID and addresses up, moves the Machine through its
 * phases, and on deletion waits for every pre-terminate hook before it deletes the infrastructure and bootstrap
 * objects.
 */
@ControllerConfiguration(name = "capi-machine-standin", finalizerName = "cluster.x-k8s.io/machine")
public final class MachineStandIn implements Reconciler<Machine>, Cleaner<Machine> {

    private static final Duration POLL = Duration.ofSeconds(1);

    private final KubernetesClient client;

    public MachineStandIn(KubernetesClient client) {
        this.client = client;
    }

    /** As Cluster API's Machine controller watches the objects it references: their changes reconcile it at once. */
    @Override
    public List<EventSource<?, Machine>> prepareEventSources(EventSourceContext<Machine> context) {
        return List.of(referenced(KilnConfig.class, context), referenced(KilnMachine.class, context));
    }

    private static <R extends HasMetadata> EventSource<?, Machine> referenced(Class<R> type,
            EventSourceContext<Machine> context) {
        return new InformerEventSource<>(InformerEventSourceConfiguration.from(type, Machine.class)
                .withSecondaryToPrimaryMapper((R object) -> {
                    Set<ResourceID> owners = new HashSet<>();
                    String namespace = object.getMetadata().getNamespace();
                    object.getMetadata().getOwnerReferences().stream().filter(ref -> "Machine".equals(ref.getKind()))
                            .forEach(ref -> owners.add(new ResourceID(ref.getName(), namespace)));
                    // Before adoption: the Machine that names it, which Cluster API's own controllers share a name with.
                    owners.add(new ResourceID(object.getMetadata().getName(), namespace));
                    return owners;
                })
                .build(), context);
    }

    @Override
    public UpdateControl<Machine> reconcile(Machine machine, Context<Machine> context) {
        String namespace = machine.getMetadata().getNamespace();
        KilnConfig config = ref(KilnConfig.class, namespace, machine.getSpec().getBootstrap() == null
                || machine.getSpec().getBootstrap().getConfigRef() == null ? null
                : machine.getSpec().getBootstrap().getConfigRef().getName());
        KilnMachine infra = ref(KilnMachine.class, namespace, machine.getSpec().getInfrastructureRef() == null ? null
                : machine.getSpec().getInfrastructureRef().getName());
        adoptWithClusterLabel(config, machine);
        adoptWithClusterLabel(infra, machine);

        Map<String, Object> specChanges = new HashMap<>();
        String dataSecret = config == null || config.getStatus() == null ? null : config.getStatus().getDataSecretName();
        if (dataSecret != null && !dataSecret.equals(machine.getSpec().getBootstrap().getDataSecretName())) {
            specChanges.put("bootstrap", Map.of("dataSecretName", dataSecret));
        }
        boolean infraReady = infra != null && infra.getStatus() != null && Boolean.TRUE.equals(infra.getStatus().getReady());
        String providerId = infra == null || infra.getSpec() == null ? null : infra.getSpec().getProviderId();
        if (infraReady && providerId != null && !providerId.equals(machine.getSpec().getProviderID())) {
            specChanges.put("providerID", providerId);
        }
        if (!specChanges.isEmpty()) {
            Writes.mergePatchSpec(client, machine, specChanges);
            return UpdateControl.<Machine>noUpdate().rescheduleAfter(Duration.ofMillis(100));
        }

        Machine.Status status = machine.getStatus() == null ? new Machine.Status() : machine.getStatus();
        status.setBootstrapReady(dataSecret != null);
        status.setInfrastructureReady(infraReady);
        if (infraReady && infra.getStatus().getAddresses() != null) {
            status.setAddresses(infra.getStatus().getAddresses().stream()
                    .map(address -> new MachineAddress(io.fabric8.kubernetes.client.utils.Serialization.asJson(address.getType()).replace("\"", ""), address.getAddress()))
                    .toList());
        }
        status.setPhase(phase(dataSecret != null, infraReady, machine.getSpec().getProviderID() != null));
        // Cluster API v1beta1 copies the infrastructure's terminal failure up; the Machine is then Failed for good.
        String failure = infra == null || infra.getStatus() == null ? null : infra.getStatus().getFailureReason();
        if (failure != null) {
            status.setFailureReason(failure);
            status.setFailureMessage(infra.getStatus().getFailureMessage());
            status.setPhase("Failed");
        }
        machine.setStatus(status);
        UpdateControl<Machine> update = UpdateControl.patchStatus(machine);
        return "Running".equals(status.getPhase()) ? update : update.rescheduleAfter(POLL);
    }

    private static String phase(boolean bootstrapReady, boolean infraReady, boolean hasProviderId) {
        if (infraReady && hasProviderId) {
            return "Running";
        }
        if (infraReady) {
            return "Provisioned";
        }
        return bootstrapReady ? "Provisioning" : "Pending";
    }

    private <T extends HasMetadata> T ref(Class<T> type, String namespace, String name) {
        return name == null ? null : client.resources(type).inNamespace(namespace).withName(name).get();
    }

    private void adoptWithClusterLabel(HasMetadata object, Machine machine) {
        if (object == null) {
            return;
        }
        boolean changed = Owners.adopt(object, machine);
        Map<String, String> labels = object.getMetadata().getLabels() == null ? new HashMap<>()
                : new HashMap<>(object.getMetadata().getLabels());
        String cluster = machine.getSpec().getClusterName();
        if (cluster != null && !Objects.equals(labels.get(Machine.CLUSTER_NAME_LABEL), cluster)) {
            labels.put(Machine.CLUSTER_NAME_LABEL, cluster);
            object.getMetadata().setLabels(labels);
            changed = true;
        }
        if (changed) {
            Writes.guardedUpdate(client, object);
        }
    }

    @Override
    public DeleteControl cleanup(Machine machine, Context<Machine> context) {
        Map<String, String> annotations = machine.getMetadata().getAnnotations() == null ? Map.of()
                : machine.getMetadata().getAnnotations();
        if (annotations.keySet().stream().anyMatch(key -> key.startsWith(Machine.PRE_TERMINATE_HOOK_PREFIX))) {
            return DeleteControl.noFinalizerRemoval().rescheduleAfter(POLL);
        }
        String namespace = machine.getMetadata().getNamespace();
        for (HasMetadata dependent : dependents(machine, namespace)) {
            if (dependent != null) {
                client.resource(dependent).delete();
                return DeleteControl.noFinalizerRemoval().rescheduleAfter(POLL);
            }
        }
        return DeleteControl.defaultDelete();
    }

    /** Infrastructure first, as Cluster API does: the bootstrap config goes once the machine is gone. */
    private List<HasMetadata> dependents(Machine machine, String namespace) {
        KilnMachine infra = ref(KilnMachine.class, namespace, machine.getSpec().getInfrastructureRef() == null ? null
                : machine.getSpec().getInfrastructureRef().getName());
        KilnConfig config = ref(KilnConfig.class, namespace, machine.getSpec().getBootstrap() == null
                || machine.getSpec().getBootstrap().getConfigRef() == null ? null
                : machine.getSpec().getBootstrap().getConfigRef().getName());
        return java.util.Arrays.asList(infra, config);
    }
}
