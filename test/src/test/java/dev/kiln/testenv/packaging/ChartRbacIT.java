package dev.kiln.testenv.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.kiln.testenv.rbac.ApiRequest;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Least privilege, proven on the end-to-end scenarios: every management API request the operator made in them
 * (target/scenarios/&#42;/operator-api-requests.tsv, written by each LocalEnvironment) is allowed by the chart's RBAC,
 * and the chart grants nothing else beyond the listed, justified exceptions. Runs after the scenario tests (failsafe).
 */
class ChartRbacIT {

    // The operator's kubeconfig namespace in the local environment, standing for its own namespace in a pod.
    private static final String OPERATOR_NAMESPACE = "default";

    /** Granted, not (yet) exercised by any scenario, and why each is needed. Keyed by verb, group and resource. */
    static final Map<String, String> UNEXERCISED = Map.of(
            "get coordination.k8s.io/leases", "leader election (on by default); the scenarios run the operator "
                    + "with it off, since the mock cannot answer JOSDK's SelfSubjectRulesReview",
            "create coordination.k8s.io/leases", "leader election, as above",
            "update coordination.k8s.io/leases", "leader election, as above: renewing and taking over the Lease",
            "update core/secrets", "renewing the admin kubeconfig, at 70% of its certificate's 365 days: no scenario "
                    + "lasts that long (ClusterEtcdReconcilerTest rotates it with a clock set ahead)");


    /** Allowed to every authenticated account by Kubernetes' built-in system:basic-user ClusterRole. */
    private static final List<ApiRequest> BUILT_IN = List.of(
            new ApiRequest("create", "authorization.k8s.io", "selfsubjectrulesreviews", "", ""),
            new ApiRequest("create", "authorization.k8s.io", "selfsubjectaccessreviews", "", ""));

    private static SortedSet<ApiRequest> recorded;
    private static RbacPolicy policy;

    @BeforeAll
    static void readLogsAndRenderTheChart() throws IOException {
        List<Path> logs = RecordedRequests.allScenarioLogs();
        recorded = RecordedRequests.read(logs);
        System.out.println("Operator API requests from " + logs.size() + " scenario(s): " + logs.stream()
                .map(l -> l.getParent().getFileName().toString()).toList());
        recorded.forEach(r -> System.out.println("  " + r.verb() + " " + (r.group().isEmpty() ? "core" : r.group())
                + "/" + r.ruleResource() + (r.namespace().isEmpty() ? " (all namespaces)" : " in " + r.namespace())));

        RenderedManifests chart = Helm.template(OPERATOR_NAMESPACE);
        String account = chart.one(Deployment.class).getSpec().getTemplate().getSpec().getServiceAccountName();
        policy = RbacPolicy.of(chart, account, OPERATOR_NAMESPACE);
        System.out.println("FIGURE operator API requests: " + recorded.size() + " distinct (verb, group, resource, "
                + "subresource, namespace) from " + logs.size() + " scenario(s); chart grants " + policy.grants().size()
                + " (namespace, group, resource, verb), " + UNEXERCISED.size() + " of them listed as not exercised");
    }

    @Test
    void chartAllowsEveryRequestTheOperatorMade() {
        List<String> denied = recorded.stream().filter(r -> !policy.allows(r) && !BUILT_IN.contains(r))
                .map(ApiRequest::toLine).toList();
        assertEquals(List.of(), denied, "requests the chart's RBAC would deny (verb, group, resource, subresource, "
                + "namespace)");
    }

    @Test
    void chartGrantsNothingBeyondWhatTheOperatorUsedAndTheListedExceptions() {
        List<String> wildcards = policy.grants().stream().filter(RbacPolicy.Grant::isWildcard)
                .map(RbacPolicy.Grant::toString).toList();
        assertEquals(List.of(), wildcards, "wildcard grants");
        List<String> unjustified = policy.unused(recorded).stream().filter(g -> !UNEXERCISED.containsKey(RecordedRequests.key(g)))
                .map(RbacPolicy.Grant::toString).toList();
        assertEquals(List.of(), unjustified, "granted but never used by the operator, and not a listed exception");
    }

    @Test
    void everyListedExceptionIsStillGranted() {
        TreeSet<String> granted = policy.grants().stream().map(RecordedRequests::key)
                .collect(Collectors.toCollection(TreeSet::new));
        List<String> stale = UNEXERCISED.keySet().stream().filter(k -> !granted.contains(k)).sorted().toList();
        assertEquals(List.of(), stale, "exceptions the chart no longer grants: drop them from the list");
    }

    @Test
    void noListedExceptionIsExercised() {
        List<String> used = policy.grants().stream().filter(g -> UNEXERCISED.containsKey(RecordedRequests.key(g)))
                .filter(g -> !policy.unused(recorded).contains(g)).map(RecordedRequests::key).sorted().toList();
        assertEquals(List.of(), used, "exceptions a scenario now exercises: drop them from the list");
    }
}
