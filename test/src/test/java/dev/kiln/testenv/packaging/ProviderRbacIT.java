package dev.kiln.testenv.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.testenv.packaging.ClusterctlComponentsTest.Provider;
import dev.kiln.testenv.rbac.ApiRequest;
import dev.kiln.testenv.rbac.OperatorRequestLog;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Least privilege per clusterctl provider: OneOperatorPerProviderScenarioTest runs one operator per provider, each
 * with only its own reconcilers and its requests recorded under its provider's name. Each provider's components allow
 * every request of its operator, and grant nothing else beyond two listed kinds of exception: requests its reconcilers
 * make only in the other scenarios or only at some timings (where one operator runs every provider, so they must show
 * up there), and the chart's grants that no scenario exercises (ChartRbacIT.UNEXERCISED). Runs after the scenario tests (failsafe).
 */
class ProviderRbacIT {

    private static final Path SCENARIO = RecordedRequests.SCENARIOS.resolve("one-operator-per-provider");

    /** Per provider: granted, used by its reconcilers only in scenarios other than the per-provider one, and why. */
    private static final Map<Provider, Map<String, String>> EXERCISED_ELSEWHERE = Map.of(
            Provider.BOOTSTRAP, Map.of(
                    "patch cluster.x-k8s.io/machines", "the etcd pre-terminate hook on control-plane Machines a "
                            + "MachineDeployment makes (MachineDeploymentControlPlaneScenarioTest)",
                    "get infrastructure.cluster.x-k8s.io/kilnmachines", "the control-plane nodes' addresses for the "
                            + "kilnconfig Secret, read only when a node is provisioned before that Secret is written",
                    "get infrastructure.cluster.x-k8s.io/kilnservers", "as above",
                    "get cluster.x-k8s.io/clusters", "a Cluster the informer cache does not hold yet, read live",
                    "get cluster.x-k8s.io/machines", "a KilnConfig's Machine the informer cache does not hold yet, "
                            + "read live",
                    "get controlplane.cluster.x-k8s.io/kilncontrolplanes", "the KilnControlPlane whose replicas a "
                            + "control-plane config waits for, when the informer cache does not hold it yet, read live"),
            Provider.CONTROL_PLANE, Map.of(
                    "delete cluster.x-k8s.io/machines", "scaling the control plane down and replacing a machine whose "
                            + "member was removed (ControlPlaneChangesScenarioTest)",
                    "patch cluster.x-k8s.io/machines", "releasing the etcd pre-terminate hook of a leaving machine",
                    "get cluster.x-k8s.io/machines", "reading a Machine before keeping a changed machine-template label "
                            + "on it (ControlPlaneChangesScenarioTest)",
                    "patch bootstrap.cluster.x-k8s.io/kilnconfigs", "a changed machine-template label kept on the "
                            + "KilnConfigs (ControlPlaneChangesScenarioTest)",
                    "get bootstrap.cluster.x-k8s.io/kilnconfigs", "reading a KilnConfig before keeping a changed "
                            + "machine-template label on it (ControlPlaneChangesScenarioTest); otherwise only one the "
                            + "informer cache does not hold yet",
                    "patch infrastructure.cluster.x-k8s.io/kilnmachines", "a changed machine-template label kept on "
                            + "the KilnMachines (ControlPlaneChangesScenarioTest)",
                    "get controlplane.cluster.x-k8s.io/kilnetcdbackups", "taking an etcd backup "
                            + "(FormClusterScenarioTest)",
                    "patch controlplane.cluster.x-k8s.io/kilnetcdbackups/status", "recording an etcd backup "
                            + "(FormClusterScenarioTest)",
                    "get infrastructure.cluster.x-k8s.io/kilnservers", "a claimed KilnServer the informer cache does "
                            + "not hold yet, read live"),
            Provider.INFRASTRUCTURE, Map.of(
                    "delete core/configmaps", "releasing a KilnServer claim when its machine goes",
                    "get cluster.x-k8s.io/clusters", "a Cluster the informer cache does not hold yet, read live",
                    "get cluster.x-k8s.io/machines", "a KilnMachine's owning Machine the informer cache does not hold "
                            + "yet, read live",
                    "update core/configmaps", "changing a machine's server binding after another instance wrote it "
                            + "or its server was taken, only when two instances race for one machine",
                    "get core/secrets", "the secrets bundle or a bootstrap data Secret the informer cache does not "
                            + "hold yet, read live"));

    private static SortedSet<ApiRequest> everyScenario;

    @BeforeAll
    static void readTheLogsOfEveryScenario() throws IOException {
        everyScenario = RecordedRequests.read(RecordedRequests.allScenarioLogs());
    }

    @ParameterizedTest
    @EnumSource(Provider.class)
    void componentsAllowEveryRequestOfTheirProvidersOperator(Provider provider) throws IOException {
        RbacPolicy policy = policy(provider);
        List<String> denied = requestsOf(provider).stream().filter(r -> !policy.allows(r)).map(ApiRequest::toLine)
                .toList();
        assertEquals(List.of(), denied, provider.label() + " components would deny its operator these requests");
    }

    @ParameterizedTest
    @EnumSource(Provider.class)
    void componentsGrantNothingBeyondWhatTheirOperatorUsedAndTheListedExceptions(Provider provider)
            throws IOException {
        Set<String> elsewhere = EXERCISED_ELSEWHERE.get(provider).keySet();
        List<String> unjustified = policy(provider).unused(requestsOf(provider)).stream().map(RecordedRequests::key)
                .filter(key -> !elsewhere.contains(key) && !ChartRbacIT.UNEXERCISED.containsKey(key)).sorted()
                .toList();
        assertEquals(List.of(), unjustified, provider.label() + " grants these, never used by its operator and not a "
                + "listed exception");
    }

    @ParameterizedTest
    @EnumSource(Provider.class)
    void everyExceptionIsUsedInSomeScenario(Provider provider) {
        Set<String> anyUse = everyScenario.stream().map(RecordedRequests::key).collect(Collectors.toSet());
        List<String> stale = EXERCISED_ELSEWHERE.get(provider).keySet().stream().filter(key -> !anyUse.contains(key))
                .sorted().toList();
        assertEquals(List.of(), stale, provider.label() + " exceptions that no scenario uses at all: drop them");
    }

    private static SortedSet<ApiRequest> requestsOf(Provider provider) throws IOException {
        return RecordedRequests.read(List.of(SCENARIO.resolve(OperatorRequestLog.fileName(provider.controllers))));
    }

    private static RbacPolicy policy(Provider provider) throws IOException {
        RenderedManifests components = RenderedManifests.parse(
                ClusterctlVariables.substitute(Files.readString(provider.file()), Map.of()));
        Deployment deployment = components.one(Deployment.class);
        return RbacPolicy.of(components, deployment.getSpec().getTemplate().getSpec().getServiceAccountName(),
                deployment.getMetadata().getNamespace());
    }
}
