package dev.kiln.testenv.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** helm/kiln, linted and rendered by the real helm (hack/helm), and its manifests read back. */
class HelmChartTest {

    private static final String NAMESPACE = "kiln-system";

    private static Deployment deployment(RenderedManifests manifests) {
        return manifests.one(Deployment.class);
    }

    private static Container manager(RenderedManifests manifests) {
        List<Container> containers = deployment(manifests).getSpec().getTemplate().getSpec().getContainers();
        assertEquals(1, containers.size());
        return containers.get(0);
    }

    private static String arg(Container container, String flag) {
        List<String> args = container.getArgs();
        int at = args.indexOf(flag);
        assertTrue(at >= 0 && at + 1 < args.size(), flag + " missing from " + args);
        return args.get(at + 1);
    }

    private static String env(Container container, String name) {
        return container.getEnv().stream().filter(e -> e.getName().equals(name)).map(EnvVar::getValue)
                .findFirst().orElseThrow(() -> new AssertionError(name + " missing from the container's env"));
    }

    @Test
    void chartPassesHelmLintStrict() {
        long start = System.nanoTime();
        String out = Helm.run("lint", "--strict", Helm.CHART.toString());
        System.out.println("FIGURE helm lint --strict helm/kiln: " + (System.nanoTime() - start) / 1_000_000 + " ms");
        assertTrue(out.contains("1 chart(s) linted, 0 chart(s) failed"), out);
    }

    @Test
    void chartCrdsAreExactlyTheCommittedCrds() throws IOException {
        long start = System.nanoTime();
        RenderedManifests manifests = Helm.template(NAMESPACE);
        System.out.println("FIGURE helm template --include-crds helm/kiln: " + (System.nanoTime() - start) / 1_000_000
                + " ms, " + manifests.objects().size() + " objects");
        KubernetesSerialization yaml = new KubernetesSerialization();
        Map<String, CustomResourceDefinition> rendered = manifests.all(CustomResourceDefinition.class).stream()
                .collect(Collectors.toMap(crd -> crd.getMetadata().getName(), crd -> crd));
        Map<String, CustomResourceDefinition> committed;
        try (Stream<Path> files = Files.list(Helm.REPO.resolve("crds"))) {
            committed = files.map(HelmChartTest::read).map(text -> yaml.unmarshal(text, CustomResourceDefinition.class))
                    .collect(Collectors.toMap(crd -> crd.getMetadata().getName(), crd -> crd));
        }
        assertEquals(committed, rendered);
    }

    @Test
    void packagedChartCarriesTheCrdFilesThemselves() throws IOException {
        Path out = Files.createDirectories(Path.of("target/helm-package").toAbsolutePath());
        Helm.run("package", Helm.CHART.toString(), "--destination", out.toString());
        String entries = tarListing(out.resolve("kiln-0.1.0.tgz"));
        List<String> expected;
        try (Stream<Path> files = Files.list(Helm.REPO.resolve("crds"))) {
            expected = files.map(f -> "kiln/crds/" + f.getFileName()).sorted().toList();
        }
        assertEquals(expected, entries.lines().filter(e -> e.startsWith("kiln/crds/")).sorted().toList());
    }

    @Test
    void operatorRunsTwoReplicasWithLeaderElectionInItsOwnNamespace() {
        RenderedManifests manifests = Helm.template(NAMESPACE);
        Container manager = manager(manifests);
        assertEquals(2, deployment(manifests).getSpec().getReplicas());
        assertEquals("manager", manager.getName());
        assertEquals("on", arg(manager, "--leader-election"));
        assertEquals(NAMESPACE, arg(manager, "--leader-election-namespace"));
        assertEquals("bootstrap,controlplane,infrastructure", arg(manager, "--controllers"));
        assertEquals("kiln-operator:0.1.0", manager.getImage());
    }

    @Test
    void operatorRunsAsNonRootOnAReadOnlyRootFilesystemWithoutCapabilities() {
        RenderedManifests manifests = Helm.template(NAMESPACE);
        PodSpec pod = deployment(manifests).getSpec().getTemplate().getSpec();
        Container manager = manager(manifests);
        assertEquals(Boolean.TRUE, pod.getSecurityContext().getRunAsNonRoot());
        assertEquals(Boolean.TRUE, manager.getSecurityContext().getRunAsNonRoot());
        assertEquals(Boolean.TRUE, manager.getSecurityContext().getReadOnlyRootFilesystem());
        assertEquals(Boolean.FALSE, manager.getSecurityContext().getAllowPrivilegeEscalation());
        assertEquals(List.of("ALL"), manager.getSecurityContext().getCapabilities().getDrop());
        assertEquals("/tmp", manager.getVolumeMounts().get(0).getMountPath(), "the JVM needs a writable /tmp");
        assertTrue(pod.getVolumes().get(0).getEmptyDir() != null);
    }

    @Test
    void operatorHasResourceRequestsAndLimits() {
        Container manager = manager(Helm.template(NAMESPACE));
        assertEquals(Map.of("cpu", "100m", "memory", "320Mi"), quantities(manager.getResources().getRequests()));
        assertEquals(Map.of("cpu", "1", "memory", "512Mi"), quantities(manager.getResources().getLimits()));
    }

    @Test
    void probesAskHealthzAndReadyzOnTheHealthPortTheOperatorListensOn() {
        Container manager = manager(Helm.template(NAMESPACE, "ports.health=9441"));
        assertEquals("/healthz", manager.getLivenessProbe().getHttpGet().getPath());
        assertEquals("/readyz", manager.getReadinessProbe().getHttpGet().getPath());
        assertEquals("health", manager.getLivenessProbe().getHttpGet().getPort().getStrVal());
        assertEquals("health", manager.getReadinessProbe().getHttpGet().getPort().getStrVal());
        int healthPort = manager.getPorts().stream().filter(p -> p.getName().equals("health")).findFirst()
                .orElseThrow().getContainerPort();
        assertEquals(9441, healthPort);
        assertEquals("9441", arg(manager, "--health-port"));
    }

    @Test
    void metricsServiceTargetsTheMetricsPort() {
        RenderedManifests manifests = Helm.template(NAMESPACE, "ports.metrics=9440");
        Service service = manifests.one(Service.class);
        assertEquals("metrics", service.getSpec().getPorts().get(0).getTargetPort().getStrVal());
        assertEquals("9440", arg(manager(manifests), "--metrics-port"));
        assertEquals(deployment(manifests).getSpec().getSelector().getMatchLabels(), service.getSpec().getSelector());
    }

    @Test
    void serviceMonitorOnlyWhenEnabled() {
        assertEquals(List.of(), Helm.template(NAMESPACE).ofKind("ServiceMonitor"));
        List<HasMetadata> monitors = Helm.template(NAMESPACE, "metrics.serviceMonitor.enabled=true")
                .ofKind("ServiceMonitor");
        assertEquals(1, monitors.size());
        assertEquals("monitoring.coreos.com/v1", monitors.get(0).getApiVersion());
    }

    @Test
    void aDisruptionBudgetLetsDrainsTakeOneOperatorReplicaAtATime() {
        RenderedManifests manifests = Helm.template(NAMESPACE);
        PodDisruptionBudget budget = manifests.one(PodDisruptionBudget.class);
        assertEquals(new IntOrString(1), budget.getSpec().getMaxUnavailable());
        assertEquals(manifests.one(Deployment.class).getSpec().getSelector(), budget.getSpec().getSelector());
        assertEquals(List.of(), Helm.template(NAMESPACE, "podDisruptionBudget.enabled=false")
                .ofKind("PodDisruptionBudget"));
    }

    @Test
    void aValueOutsideItsSchemaIsRefusedNamingTheValue() {
        assertRefused("logLevel must be one of the following", "logLevel=loud");
        assertRefused("replicas: Must be greater than or equal to 1", "replicas=0");
        assertRefused("watchFilter: Does not match pattern", "watchFilter=team/a");
        assertRefused("controllers: Does not match pattern", "controllers=bootstrap\\,kubeadm");
    }

    @Test
    void aMisspelledValueNameIsRefusedRatherThanIgnored() {
        assertRefused("Additional property replica is not allowed", "replica=3");
        assertRefused("Additional property watchNamespaces is not allowed", "rbac.clusterWide=true",
                "watchNamespaces=team-a");
    }

    @Test
    void theDisruptionBudgetTakesACountOrAPercentage() {
        assertEquals(new IntOrString("50%"), Helm.template(NAMESPACE, "podDisruptionBudget.maxUnavailable=50%")
                .one(PodDisruptionBudget.class).getSpec().getMaxUnavailable());
        assertRefused("podDisruptionBudget.maxUnavailable", "podDisruptionBudget.maxUnavailable=half");
    }

    private static void assertRefused(String expected, String... sets) {
        AssertionError refused = assertThrows(AssertionError.class, () -> Helm.template(NAMESPACE, sets));
        assertTrue(refused.getMessage().contains("values don't meet the specifications of the schema"),
                refused.getMessage());
        assertTrue(refused.getMessage().contains(expected), refused.getMessage());
    }

    @Test
    void valuesSetImageReplicasLogLevelAndLeaderElection() {
        RenderedManifests manifests = Helm.template(NAMESPACE, "image.repository=registry.example.com/kiln",
                "image.tag=1.2.3", "replicas=1", "logLevel=debug", "leaderElection.enabled=false");
        Container manager = manager(manifests);
        assertEquals("registry.example.com/kiln:1.2.3", manager.getImage());
        assertEquals(1, deployment(manifests).getSpec().getReplicas());
        assertTrue(env(manager, "JAVA_TOOL_OPTIONS").contains("-Dorg.slf4j.simpleLogger.defaultLogLevel=debug"));
        assertEquals("off", arg(manager, "--leader-election"));
        assertFalse(manager.getArgs().contains("--lease-name"));
        assertEquals(List.of(), manifests.all(Role.class), "no Lease, no Role for it");
    }

    @Test
    void theWaitForUnreachableNodesDefaultsToTwoMinutesAndIsAValue() {
        assertEquals("120", arg(manager(Helm.template(NAMESPACE)), "--unreachable-node-grace"));
        assertEquals("30", arg(manager(Helm.template(NAMESPACE, "unreachableNodeGrace=30")),
                "--unreachable-node-grace"));
    }

    @Test
    void allNamespacesAreWatchedThroughAClusterRole() {
        RenderedManifests manifests = Helm.template(NAMESPACE);
        assertEquals("", env(manager(manifests), "KILN_NAMESPACE"));
        assertEquals("", env(manager(manifests), "KILN_WATCH_FILTER"));
        assertEquals(List.of("kiln-kiln"), operatorRoles(manifests.all(ClusterRole.class)));
        assertEquals(1, manifests.all(ClusterRoleBinding.class).size());
    }

    @Test
    void aWatchFilterReachesTheOperator() {
        assertEquals("team-a", env(manager(Helm.template(NAMESPACE, "watchFilter=team-a")), "KILN_WATCH_FILTER"));
    }

    @Test
    void kilnServersAreCreatedOnlyThroughTheServerAdminRoleWhichNobodyHoldsUnlessNamed() {
        RenderedManifests manifests = Helm.template(NAMESPACE);
        ClusterRole admin = manifests.all(ClusterRole.class).stream()
                .filter(r -> r.getMetadata().getName().equals("kiln-kiln-server-admin")).findFirst()
                .orElseThrow(() -> new AssertionError("no ClusterRole kiln-kiln-server-admin"));
        assertTrue(admin.getRules().stream().anyMatch(rule -> rule.getResources().equals(List.of("kilnservers"))
                && rule.getVerbs().containsAll(List.of("create", "update", "patch", "delete"))), admin.toString());
        assertTrue(manifests.all(ClusterRoleBinding.class).stream()
                .noneMatch(b -> b.getRoleRef().getName().equals("kiln-kiln-server-admin")));
        RbacPolicy operator = RbacPolicy.of(manifests, "kiln-kiln", NAMESPACE);
        assertTrue(operator.grants().stream().noneMatch(g -> g.resource().equals("kilnservers")
                && List.of("create", "update", "patch", "delete", "*").contains(g.verb())), operator.toString());

        RenderedManifests bound = Helm.template(NAMESPACE, "rbac.serverAdmin.subjects[0].kind=Group",
                "rbac.serverAdmin.subjects[0].name=inventory-admins",
                "rbac.serverAdmin.subjects[0].apiGroup=rbac.authorization.k8s.io");
        ClusterRoleBinding binding = bound.all(ClusterRoleBinding.class).stream()
                .filter(b -> b.getRoleRef().getName().equals("kiln-kiln-server-admin")).findFirst()
                .orElseThrow(() -> new AssertionError("no binding of kiln-kiln-server-admin"));
        assertEquals("inventory-admins", binding.getSubjects().get(0).getName());
    }

    @Test
    void theOperatorIsGrantedOnlyTheRulesOfTheProvidersItRuns() {
        assertEquals(Set.of("", "cluster.x-k8s.io", "bootstrap.cluster.x-k8s.io", "controlplane.cluster.x-k8s.io",
                "infrastructure.cluster.x-k8s.io"), grantedGroups(Helm.template(NAMESPACE, "controllers=bootstrap")),
                "infrastructure: the control-plane nodes' addresses and etcd peers; controlplane: the "
                + "KilnControlPlane's replicas a control-plane config waits for");
        assertEquals(Set.of("", "cluster.x-k8s.io", "infrastructure.cluster.x-k8s.io"),
                grantedGroups(Helm.template(NAMESPACE, "controllers=infrastructure")));
        assertEquals(Set.of("", "cluster.x-k8s.io", "bootstrap.cluster.x-k8s.io", "controlplane.cluster.x-k8s.io",
                "infrastructure.cluster.x-k8s.io"), grantedGroups(Helm.template(NAMESPACE)));
    }

    private static Set<String> grantedGroups(RenderedManifests manifests) {
        return manifests.all(ClusterRole.class).stream().filter(r -> operatorRoles(List.of(r)).size() == 1)
                .flatMap(r -> r.getRules().stream()).flatMap(rule -> rule.getApiGroups().stream())
                .collect(Collectors.toSet());
    }

    private static List<String> operatorRoles(List<ClusterRole> roles) {
        return roles.stream().map(r -> r.getMetadata().getName()).filter(n -> !n.endsWith("-server-admin")).toList();
    }

    @Test
    void aWatchNamespaceReachesTheOperatorAndGetsARoleThereInsteadOfAClusterRole() {
        RenderedManifests manifests = Helm.template(NAMESPACE, "watchNamespace=tenants");
        assertEquals("tenants", env(manager(manifests), "KILN_NAMESPACE"));
        assertEquals(List.of(), operatorRoles(manifests.all(ClusterRole.class)));
        List<String> roleNamespaces = manifests.all(Role.class).stream().map(r -> r.getMetadata().getNamespace())
                .sorted().toList();
        assertEquals(List.of(NAMESPACE, "tenants"), roleNamespaces, "the Lease's Role and the watched namespace's");
        assertEquals(2, manifests.all(RoleBinding.class).size());
    }

    private static String tarListing(Path archive) throws IOException {
        Process tar = new ProcessBuilder("tar", "tzf", archive.toString()).redirectErrorStream(true).start();
        String listing = new String(tar.getInputStream().readAllBytes());
        try {
            assertEquals(0, tar.waitFor(), "tar tzf " + archive + ":\n" + listing);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return listing;
    }

    private static Map<String, String> quantities(Map<String, io.fabric8.kubernetes.api.model.Quantity> map) {
        return map.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().toString()));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
