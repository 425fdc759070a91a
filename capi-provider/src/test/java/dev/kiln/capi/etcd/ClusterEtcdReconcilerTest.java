package dev.kiln.capi.etcd;

import static dev.kiln.capi.etcd.EtcdTestBed.NS;
import static dev.kiln.capi.etcd.EtcdTestBed.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.capi.cluster.BootstrapRecordStore;
import dev.kiln.capi.cluster.KilnLabels;
import dev.kiln.capi.core.v1beta1.Cluster;
import dev.kiln.capi.core.v1beta1.Machine;
import dev.kiln.capi.node.InMemoryNodes;
import dev.kiln.capi.node.NodeCredentials;
import dev.kiln.machinery.pki.Pem;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** The cluster etcd reconciler on the CRUD mock server (one fresh server per test) with in-memory nodes. */
@EnableKubernetesMockClient(crud = true)
class ClusterEtcdReconcilerTest {

    KubernetesClient client;

    private EtcdTestBed bed;

    @BeforeEach
    void setUp() {
        bed = new EtcdTestBed(client);
    }

    @AfterEach
    void tearDown() {
        bed.close();
    }

    private Cluster threeNodeControlPlane(String name) {
        Cluster cluster = bed.cluster(name);
        bed.controlPlaneMachine(cluster, "cp-0", "10.0.1.1");
        bed.controlPlaneMachine(cluster, "cp-1", "10.0.1.2");
        bed.controlPlaneMachine(cluster, "cp-2", "10.0.1.3");
        return cluster;
    }

    private ConfigMap pendingRecord(Cluster cluster, String machine, String holder, Instant heldUntil) {
        return client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder()
                .withNewMetadata()
                    .withName(KilnLabels.bootstrapRecordName(cluster.getMetadata().getName()))
                    .withNamespace(NS)
                    .withLabels(KilnLabels.forCluster(cluster.getMetadata().getName()))
                .endMetadata()
                .withData(Map.of("machine", machine, "holder", holder, "heldUntil", heldUntil.toString(),
                        "completed", "false", "etcdClusterId", ""))
                .build()).create();
    }

    private void bootstrapByHand(Cluster cluster, String address) {
        try (var api = bed.nodes.connect(address, new NodeCredentials.ClusterAdmin(bed.bundle(cluster)))) {
            api.bootstrap();
        }
    }

    private long bootstrapRequests() {
        return bed.nodes.calls().stream().filter(c -> c.endsWith(" bootstrap")).count();
    }

    @Test
    void exactlyOneBootstrapRecordAndOneBootstrapCallForAThreeNodeControlPlane() throws Exception {
        Cluster cluster = threeNodeControlPlane("alpha");
        bed.startOperator("operator-a");

        ConfigMap record = bed.awaitCompletedRecord(cluster);
        eventually("kubeconfig written after bootstrap", () -> !bed.events(cluster, "KubeconfigWritten").isEmpty());

        assertEquals("cp-0", record.getData().get("machine"), "the oldest ready machine (ties by name) bootstraps");
        assertEquals("c1", record.getData().get("etcdClusterId"));
        assertEquals(1, bed.nodes.bootstrapCalls());
        assertEquals(List.of("10.0.1.1 bootstrap"),
                bed.nodes.calls().stream().filter(c -> c.endsWith(" bootstrap")).toList());
        List<ConfigMap> records = client.configMaps().inNamespace(NS)
                .withLabel(KilnLabels.CLUSTER_NAME, "alpha").list().getItems().stream()
                .filter(c -> c.getMetadata().getName().endsWith("-kiln-bootstrap")).toList();
        assertEquals(1, records.size());
        assertEquals(1, bed.events(cluster, "Bootstrapped").size());
        assertEquals(List.of("bootstrapCalled alpha"), bed.metrics.seen);
    }

    @Test
    void twoOperatorInstancesRunningAtOnceMakeOneRecordAndOneBootstrapCall() throws Exception {
        bed.startOperator("operator-a");
        bed.startOperator("operator-b");
        Cluster cluster = threeNodeControlPlane("twins");

        ConfigMap record = bed.awaitCompletedRecord(cluster);
        eventually("kubeconfig written after bootstrap", () -> !bed.events(cluster, "KubeconfigWritten").isEmpty());

        assertEquals(1, bed.nodes.bootstrapCalls(), "calls: " + bed.nodes.calls());
        assertEquals(1, bed.nodes.memberIds().size());
        assertTrue(List.of("operator-a", "operator-b").contains(record.getData().get("holder")));
        assertEquals(1, bed.events(cluster, "Bootstrapped").size());
        assertEquals(1, bed.events(cluster, "KubeconfigWritten").size(), "only the writer that created it says so");
    }

    @Test
    void aRecordHeldByALiveOtherInstanceIsNotActedOn() throws Exception {
        Cluster cluster = threeNodeControlPlane("held");
        Instant heldUntil = Instant.now().plus(Duration.ofMinutes(10));
        pendingRecord(cluster, "cp-0", "operator-b", heldUntil);
        bed.startOperator("operator-a");

        eventually("a wait naming the other holder", () -> !bed.events(cluster, "BootstrapHeldByAnother").isEmpty());

        assertEquals(0, bed.nodes.bootstrapCalls());
        ConfigMap record = bed.record(cluster);
        assertEquals("operator-b", record.getData().get("holder"));
        assertEquals(heldUntil.toString(), record.getData().get("heldUntil"));
        assertEquals("false", record.getData().get("completed"));
        assertTrue(bed.events(cluster, "BootstrapHeldByAnother").get(0).getMessage().contains("operator-b"));
    }

    @Test
    void aLapsedRecordIsTakenOverAndCompletedWithoutASecondBootstrap() throws Exception {
        Cluster cluster = threeNodeControlPlane("lapsed");
        pendingRecord(cluster, "cp-0", "crashed-operator", Instant.now().minus(Duration.ofMinutes(1)));
        // The crashed holder got as far as the real bootstrap on cp-0 before it died.
        bootstrapByHand(cluster, "10.0.1.1");
        List<Long> membersBefore = bed.nodes.memberIds();
        bed.startOperator("operator-a");

        ConfigMap record = bed.awaitCompletedRecord(cluster);

        assertEquals("operator-a", record.getData().get("holder"));
        assertEquals("cp-0", record.getData().get("machine"));
        assertEquals("c1", record.getData().get("etcdClusterId"));
        assertEquals(membersBefore, bed.nodes.memberIds(), "no second etcd cluster, no new member");
        assertEquals(2, bootstrapRequests(), "the takeover asked once more and the node said ALREADY_EXISTS");
        assertTrue(bed.events(cluster, "Bootstrapped").get(0).getMessage().contains("crashed-operator"));
    }

    @Test
    void aLostRecordWithEtcdRunningOnANodeIsRestoredWithoutAnyBootstrapCall() throws Exception {
        Cluster cluster = threeNodeControlPlane("lost-record");
        // etcd runs on cp-1, not on the machine a fresh choice would pick (cp-0), and the record is gone
        bootstrapByHand(cluster, "10.0.1.2");
        List<Long> membersBefore = bed.nodes.memberIds();
        bed.startOperator("operator-a");

        ConfigMap record = bed.awaitCompletedRecord(cluster);

        assertEquals("cp-1", record.getData().get("machine"));
        assertEquals("c1", record.getData().get("etcdClusterId"));
        assertEquals(1, bootstrapRequests(), "only the bootstrap made before the record was lost: " + bed.nodes.calls());
        assertEquals(membersBefore.get(0), bed.nodes.memberIds().get(0), "the first member is still cp-1's");
        assertEquals(1, bed.events(cluster, "BootstrapRecordRestored").size());
        assertTrue(bed.events(cluster, "Bootstrapped").isEmpty());
    }

    @Test
    void aPendingRecordWhoseMachineIsGoneIsStuckAndNeverBootstrappedElsewhere() throws Exception {
        Cluster cluster = threeNodeControlPlane("stuck");
        pendingRecord(cluster, "cp-gone", "crashed-operator", Instant.now().minus(Duration.ofMinutes(1)));
        bed.startOperator("operator-a");

        eventually("a BootstrapStuck warning", () -> !bed.events(cluster, "BootstrapStuck").isEmpty());

        assertEquals("Warning", bed.events(cluster, "BootstrapStuck").get(0).getType());
        assertEquals(0, bed.nodes.bootstrapCalls());
        assertEquals("cp-gone", bed.record(cluster).getData().get("machine"));
        assertEquals("crashed-operator", bed.record(cluster).getData().get("holder"));
    }

    @Test
    void theFaultHookRunsAfterTheRecordIsWrittenAndBeforeBootstrapIsCalled() throws Exception {
        Cluster cluster = threeNodeControlPlane("fault");
        List<String> seenAtFault = new ArrayList<>();
        bed.startOperator("operator-a", Clock.systemUTC(), (c, machine) -> {
            ConfigMap record = bed.record(c);
            seenAtFault.add(machine + " holder=" + record.getData().get("holder") + " completed="
                    + record.getData().get("completed") + " bootstrapCalls=" + bed.nodes.bootstrapCalls());
        });

        bed.awaitCompletedRecord(cluster);

        assertEquals(List.of("cp-0 holder=operator-a completed=false bootstrapCalls=0"), seenAtFault);
    }

    @Test
    void anOperatorKilledBetweenRecordAndBootstrapIsSucceededByOneThatBootstrapsOnce() throws Exception {
        Cluster cluster = threeNodeControlPlane("killed");
        var first = bed.startOperator("operator-a", Clock.systemUTC(), (c, machine) -> {
            throw new IllegalStateException("operator-a killed by the test before Bootstrap");
        });
        eventually("operator-a wrote the record", () -> bed.record(cluster) != null);
        first.close();
        assertEquals(0, bed.nodes.bootstrapCalls());

        // The successor's clock is past operator-a's hold, as it would be once the hold timeout has passed.
        bed.startOperator("operator-b", Clock.offset(Clock.systemUTC(), Duration.ofMinutes(2)), BootstrapFaults.NONE);
        ConfigMap record = bed.awaitCompletedRecord(cluster);

        assertEquals("operator-b", record.getData().get("holder"));
        assertEquals("cp-0", record.getData().get("machine"));
        assertEquals(1, bed.nodes.bootstrapCalls());
    }

    @Test
    void aHolderWhoseRecordIsTakenOverDuringItsCallLeavesTheCompletionToTheNewHolder() throws Exception {
        Cluster cluster = threeNodeControlPlane("overtaken");
        // operator-b's clock is past operator-a's hold: it takes the record over while operator-a is calling.
        Clock later = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(2));
        BootstrapRecordStore successor = new BootstrapRecordStore(client, "operator-b", later);
        var first = bed.startOperator("operator-a", Clock.systemUTC(), (c, machine) -> successor.claim(c, machine));

        eventually("operator-a gives way", () -> !bed.events(cluster, "BootstrapTakenOver").isEmpty());
        first.close();

        assertEquals(1, bed.nodes.bootstrapCalls(), "operator-a's call reached the node");
        assertEquals("operator-b", bed.record(cluster).getData().get("holder"));
        assertEquals("false", bed.record(cluster).getData().get("completed"));
        assertEquals(List.of(), bed.metrics.seen, "operator-a counted a bootstrap it did not complete");
        assertTrue(bed.events(cluster, "Bootstrapped").isEmpty());

        bed.startOperator("operator-b", later, BootstrapFaults.NONE);
        ConfigMap record = bed.awaitCompletedRecord(cluster);
        eventually("operator-b reports the bootstrap", () -> !bed.events(cluster, "Bootstrapped").isEmpty());

        assertEquals("operator-b", record.getData().get("holder"));
        assertEquals(2, bed.nodes.bootstrapCalls(), "operator-b asked once more and the node said ALREADY_EXISTS");
        assertEquals(1, bed.nodes.memberIds().size(), "no second etcd cluster");
        assertEquals(List.of("bootstrapCalled overtaken"), bed.metrics.seen);
        assertEquals(1, bed.events(cluster, "Bootstrapped").size());
    }

    @Test
    void aMachineDeploymentControlPlaneGetsTheSameBootstrapRecord() throws Exception {
        Cluster cluster = bed.cluster("md", spec -> spec.setControlPlaneRef(null));
        for (int i = 0; i < 3; i++) {
            bed.controlPlaneMachine(cluster, "md-cp-" + i, "10.0.1." + (i + 1), bed.nodes, machine -> {
                machine.getMetadata().getLabels().put("cluster.x-k8s.io/deployment-name", "md-control-plane");
                machine.getMetadata().setOwnerReferences(List.of(new OwnerReference("cluster.x-k8s.io/v1beta1",
                        null, null, "MachineSet", "md-control-plane-7d9f", "00000000-0000-0000-0000-000000000001")));
            });
        }
        bed.startOperator("operator-a");

        ConfigMap record = bed.awaitCompletedRecord(cluster);

        assertEquals("md-cp-0", record.getData().get("machine"));
        assertEquals("c1", record.getData().get("etcdClusterId"));
        assertEquals(1, bed.nodes.bootstrapCalls());
        assertTrue(bed.current(cluster).getMetadata().getFinalizers().contains(ClusterEtcdReconciler.FINALIZER),
                "its KilnConfig control-plane Machines make the Cluster Kiln's");
    }

    @Test
    void aStaleUnhealthyMemberIsRemovedWhenQuorumAllows() throws Exception {
        Cluster cluster = threeNodeControlPlane("stale");
        bed.startOperator("operator-a");
        bed.awaitCompletedRecord(cluster);
        bed.settleTo(3);
        long staleId = bed.nodes.node("10.0.1.3").memberId();
        bed.nodes.crash("10.0.1.3");
        client.resource(bed.machine("cp-2")).withGracePeriod(0).delete();

        eventually("the stale member removed", () -> bed.nodes.memberIds().size() == 2);
        // the pass records its decision after the member is gone
        eventually("the removal recorded", () -> !bed.events(cluster, "StaleMemberRemoved").isEmpty());

        assertFalse(bed.nodes.memberIds().contains(staleId));
        assertEquals(List.of("bootstrapCalled stale", "memberRemoved stale stale"), bed.metrics.seen);
        assertEquals(1, bed.events(cluster, "StaleMemberRemoved").size());
        assertTrue(bed.nodes.calls().stream().noneMatch(c -> c.startsWith("10.0.1.3 remove")),
                "removal goes through a healthy voter, never the stale member's own node");
    }

    @Test
    void aStaleMemberIsKeptWhenQuorumDoesNotAllowAndTheWaitIsRecordedOnce() throws Exception {
        Cluster cluster = threeNodeControlPlane("no-quorum");
        ClusterEtcdReconciler reconciler = bed.reconciler("operator-a");
        bed.pass(reconciler, cluster);
        bed.pass(reconciler, cluster);
        bed.settleTo(3);
        bed.nodes.crash("10.0.1.3");
        bed.nodes.node("10.0.1.2").setEtcdHealthy(false);
        client.resource(bed.machine("cp-2")).withGracePeriod(0).delete();

        bed.pass(reconciler, cluster);
        bed.pass(reconciler, cluster);

        assertEquals(3, bed.nodes.memberIds().size());
        assertTrue(bed.nodes.calls().stream().noneMatch(c -> c.contains(" remove ")));
        var waits = bed.events(cluster, "EtcdWaiting");
        assertEquals(1, waits.size(), "the same reason to wait is recorded once");
        assertTrue(waits.get(0).getMessage().contains("only 1 of 3 voting members are healthy"),
                waits.get(0).getMessage());
        assertTrue(bed.current(cluster).getMetadata().getAnnotations().get(DecisionLog.LAST_DECISION)
                .startsWith("EtcdWaiting: "));
    }

    @Test
    void staleMembersAreRemovedOnePerPass() throws Exception {
        Cluster cluster = bed.cluster("five");
        for (int i = 0; i < 5; i++) {
            bed.controlPlaneMachine(cluster, "cp-" + i, "10.0.1." + (i + 1));
        }
        ClusterEtcdReconciler reconciler = bed.reconciler("operator-a");
        bed.pass(reconciler, cluster);
        bed.pass(reconciler, cluster);
        bed.settleTo(5);
        for (String gone : List.of("cp-3", "cp-4")) {
            client.resource(bed.machine(gone)).withGracePeriod(0).delete();
        }
        bed.nodes.crash("10.0.1.4");
        bed.nodes.crash("10.0.1.5");

        bed.pass(reconciler, cluster);
        assertEquals(4, bed.nodes.memberIds().size(), "one removal in the first pass");
        bed.pass(reconciler, cluster);
        assertEquals(3, bed.nodes.memberIds().size(), "the next in the second");
        bed.pass(reconciler, cluster);
        assertEquals(3, bed.nodes.memberIds().size());
        assertEquals(2, bed.events(cluster, "StaleMemberRemoved").size());
    }

    @Test
    void aDeletingControlPlaneMachineLeavesEtcdBeforeItsHookIsReleased() throws Exception {
        Cluster cluster = bed.cluster("hooked");
        bed.controlPlaneMachine(cluster, "cp-0", "10.0.1.1");
        bed.controlPlaneMachine(cluster, "cp-1", "10.0.1.2");
        bed.controlPlaneMachine(cluster, "cp-2", "10.0.1.3", bed.nodes,
                machine -> machine.getMetadata().setFinalizers(List.of(EtcdTestBed.CAPI_FINALIZER)));
        bed.startOperator("operator-a");
        bed.awaitCompletedRecord(cluster);
        bed.settleTo(3);
        long leavingId = bed.nodes.node("10.0.1.3").memberId();
        eventually("membership converged", () -> !bed.events(cluster, "EtcdConverged").isEmpty());

        client.resource(bed.machine("cp-2")).delete();

        eventually(() -> "hook released; decisions: " + bed.events(cluster, null).stream()
                .map(e -> e.getReason() + ": " + e.getMessage()).toList() + "; machine: " + bed.machine("cp-2"), () -> {
            Machine m = bed.machine("cp-2");
            return m.getMetadata().getAnnotations() == null
                    || !m.getMetadata().getAnnotations().containsKey(KilnLabels.ETCD_HOOK);
        });
        Machine leaving = bed.machine("cp-2");
        assertTrue(leaving.isDeleting(), "Cluster API's own finalizer still holds the Machine");
        assertEquals(List.of(EtcdTestBed.CAPI_FINALIZER), leaving.getMetadata().getFinalizers());
        assertFalse(bed.nodes.memberIds().contains(leavingId));
        assertEquals(2, bed.nodes.memberIds().size());
        List<String> calls = bed.nodes.calls();
        int forfeit = calls.indexOf("10.0.1.3 forfeit");
        int remove = calls.indexOf("10.0.1.1 remove " + Long.toHexString(leavingId));
        assertTrue(forfeit >= 0 && remove > forfeit, "forfeit on the leaving node, then removal elsewhere: " + calls);
        assertEquals(1, bed.events(cluster, "MemberLeft").size());
        // the decision is recorded right after the patch that released the hook
        eventually("hook release recorded", () -> bed.events(cluster, "PreTerminateHookReleased").size() == 1);
        assertTrue(bed.metrics.seen.contains("memberRemoved hooked machine-deleted"));
    }

    @Test
    void aDeletedClusterReleasesEveryHookWithoutRemovingMembersThenLetsGo() throws Exception {
        Cluster cluster = bed.cluster("doomed");
        for (int i = 0; i < 3; i++) {
            bed.controlPlaneMachine(cluster, "cp-" + i, "10.0.1." + (i + 1), bed.nodes,
                    machine -> machine.getMetadata().setFinalizers(List.of(EtcdTestBed.CAPI_FINALIZER)));
        }
        bed.startOperator("operator-a");
        bed.awaitCompletedRecord(cluster);
        bed.settleTo(3);
        eventually("the finalizer on the Cluster", () -> bed.current(cluster).getMetadata().getFinalizers()
                .contains(ClusterEtcdReconciler.FINALIZER));
        List<Long> members = new ArrayList<>(bed.nodes.memberIds());

        client.resource(bed.current(cluster)).delete();
        for (int i = 0; i < 3; i++) {
            client.resource(bed.machine("cp-" + i)).delete();
        }

        eventually("every hook released", () -> IntStream.range(0, 3).mapToObj(i -> bed.machine("cp-" + i))
                .allMatch(m -> m.getMetadata().getAnnotations() == null
                        || !m.getMetadata().getAnnotations().containsKey(KilnLabels.ETCD_HOOK)));
        assertEquals(members, new ArrayList<>(bed.nodes.memberIds()), "no member removed: etcd goes with the Cluster");
        assertTrue(bed.nodes.calls().stream().noneMatch(c -> c.contains(" remove ") || c.endsWith(" leave")),
                bed.nodes.calls().toString());
        assertTrue(bed.current(cluster).getMetadata().getFinalizers().contains(ClusterEtcdReconciler.FINALIZER),
                "held while control-plane Machines exist");

        for (int i = 0; i < 3; i++) {
            Machine machine = bed.machine("cp-" + i);
            machine.getMetadata().setFinalizers(List.of());
            client.resource(machine).update();
        }
        eventually("the Cluster gone", () -> client.resources(Cluster.class).inNamespace(NS).withName("doomed")
                .get() == null);
    }

    @Test
    void theKubeconfigSecretFollowsTheClusterApiContract() throws Exception {
        Cluster cluster = threeNodeControlPlane("kube");
        bed.startOperator("operator-a");

        Secret secret = bed.awaitSecret(KilnLabels.kubeconfigSecretName("kube"));

        assertEquals("cluster.x-k8s.io/secret", secret.getType());
        assertEquals("kube", secret.getMetadata().getLabels().get(KilnLabels.CLUSTER_NAME));
        OwnerReference owner = secret.getMetadata().getOwnerReferences().get(0);
        assertEquals("Cluster", owner.getKind());
        assertEquals("kube", owner.getName());
        assertEquals(cluster.getMetadata().getUid(), owner.getUid());
        String yaml = new String(Base64.getDecoder().decode(secret.getData().get("value")), StandardCharsets.UTF_8);
        Map<String, Object> parsed = new Yaml().load(yaml);
        assertEquals("Config", parsed.get("kind"));

        var config = io.fabric8.kubernetes.client.Config.fromKubeconfig(yaml);
        assertEquals("https://" + EtcdTestBed.ENDPOINT_HOST + ":" + EtcdTestBed.ENDPOINT_PORT + "/",
                config.getMasterUrl());
        var bundle = bed.bundle(cluster);
        assertEquals(bundle.k8s().certificatePem(),
                new String(Base64.getDecoder().decode(config.getCaCertData()), StandardCharsets.UTF_8));
        X509Certificate admin = Pem.decodeCertificate(
                new String(Base64.getDecoder().decode(config.getClientCertData()), StandardCharsets.UTF_8));
        admin.verify(bundle.k8s().certificate().getPublicKey());
        LdapName subject = new LdapName(admin.getSubjectX500Principal().getName());
        List<String> subjectParts = subject.getRdns().stream().map(Rdn::toString).toList();
        assertTrue(subjectParts.contains("CN=kubernetes-admin"), subjectParts.toString());
        assertTrue(subjectParts.contains("O=system:masters"), subjectParts.toString());
    }

    @Test
    void anAdminKubeconfigPastItsRenewalPointIsRotatedAndAFreshOneIsKept() throws Exception {
        Cluster cluster = threeNodeControlPlane("rotate");
        var operator = bed.startOperator("operator-a");
        eventually("kubeconfig written after bootstrap", () -> !bed.events(cluster, "KubeconfigWritten").isEmpty());
        operator.close();
        Secret written = bed.awaitSecret(KilnLabels.kubeconfigSecretName("rotate"));
        X509Certificate first = clientCertificate(written);

        Clock pastTheRenewalPoint = Clock.offset(Clock.systemUTC(), Duration.ofDays(256));
        bed.pass(bed.reconciler("operator-a", pastTheRenewalPoint), cluster);

        Secret rotated = client.secrets().inNamespace(NS).withName(KilnLabels.kubeconfigSecretName("rotate")).get();
        X509Certificate second = clientCertificate(rotated);
        assertNotEquals(first.getSerialNumber(), second.getSerialNumber());
        second.verify(bed.bundle(cluster).k8s().certificate().getPublicKey());
        assertEquals(written.getMetadata().getUid(), rotated.getMetadata().getUid(), "the same Secret, updated");
        assertEquals(1, bed.events(cluster, "KubeconfigRotated").size());
        assertTrue(bed.events(cluster, "KubeconfigRotated").get(0).getMessage().contains("due for renewal"),
                bed.events(cluster, "KubeconfigRotated").get(0).getMessage());

        bed.pass(bed.reconciler("operator-a"), cluster);
        assertEquals(rotated.getMetadata().getResourceVersion(), client.secrets().inNamespace(NS)
                .withName(KilnLabels.kubeconfigSecretName("rotate")).get().getMetadata().getResourceVersion());
    }

    private static X509Certificate clientCertificate(Secret kubeconfigSecret) {
        String yaml = new String(Base64.getDecoder().decode(kubeconfigSecret.getData().get("value")),
                StandardCharsets.UTF_8);
        var config = io.fabric8.kubernetes.client.Config.fromKubeconfig(yaml);
        return Pem.decodeCertificate(new String(Base64.getDecoder().decode(config.getClientCertData()),
                StandardCharsets.UTF_8));
    }

    @Test
    void aPausedClusterIsLeftAlone() throws Exception {
        InMemoryNodes pausedNodes = new InMemoryNodes();
        bed.routeNodes((address, credentials) -> (address.startsWith("10.0.2.") ? pausedNodes : bed.nodes)
                .connect(address, credentials));
        Cluster paused = bed.cluster("paused", spec -> spec.setPaused(true));
        for (int i = 0; i < 3; i++) {
            bed.controlPlaneMachine(paused, "paused-cp-" + i, "10.0.2." + (i + 1), pausedNodes, machine -> { });
        }
        Cluster running = threeNodeControlPlane("running");
        List<String> setupCalls = pausedNodes.calls();
        bed.startOperator("operator-a");

        bed.awaitCompletedRecord(running);
        eventually("the running cluster had a later pass", () -> !bed.events(running, "KubeconfigWritten").isEmpty());

        assertNull(bed.record(paused));
        assertNull(client.secrets().inNamespace(NS).withName(KilnLabels.kubeconfigSecretName("paused")).get());
        assertEquals(setupCalls, pausedNodes.calls(), "no machine API call beyond the test's own setup");
        assertEquals(List.of(), bed.events(paused, null));
        Map<String, String> annotations = bed.current(paused).getMetadata().getAnnotations();
        assertTrue(annotations == null || !annotations.containsKey(DecisionLog.LAST_DECISION));
    }

    @Test
    void aMachineWhoseMemberWasRemovedByHandIsDeletedSoItsOwnerReplacesIt() throws Exception {
        Cluster cluster = threeNodeControlPlane("removed");
        bed.startOperator("operator-a");
        bed.awaitCompletedRecord(cluster);
        bed.settleTo(3);
        long removedId = bed.nodes.node("10.0.1.3").memberId();

        try (var api = bed.nodes.connect("10.0.1.1", new NodeCredentials.ClusterAdmin(bed.bundle(cluster)))) {
            api.removeMember(removedId);
        }

        eventually("machine cp-2 deleted", () -> {
            Machine machine = bed.machine("cp-2");
            return machine == null || machine.isDeleting();
        });
        eventually("the replacement recorded", () -> !bed.events(cluster, "MachineReplaced").isEmpty());
        String message = bed.events(cluster, "MachineReplaced").get(0).getMessage();
        assertTrue(message.contains("cp-2") && message.contains("removed from the cluster"), message);
        assertEquals("Warning", bed.events(cluster, "MachineReplaced").get(0).getType());
        assertEquals(2, bed.nodes.memberIds().size(), "no member was touched beyond the removal by hand");
        assertNotNull(bed.machine("cp-0"));
        assertNotNull(bed.machine("cp-1"));
    }

    @Test
    void aPassOverAClusterOfAnotherProviderWritesNothingAndCallsNoNode() {
        Cluster foreign = bed.foreignCluster("kubeadm", List.of(), 3);
        String resourceVersion = bed.current(foreign).getMetadata().getResourceVersion();

        bed.pass(bed.reconciler("operator-a"), foreign);

        Cluster after = bed.current(foreign);
        assertEquals(resourceVersion, after.getMetadata().getResourceVersion(), "the Cluster was not written");
        assertEquals(List.of(), after.getMetadata().getFinalizers());
        assertEquals(List.of(), bed.events(foreign, null));
        assertNull(bed.record(foreign));
        assertEquals(List.of(), bed.nodes.calls());
    }

    @Test
    void aKilnFinalizerLeftOnAClusterOfAnotherProviderIsReleasedAndNothingElseIsWritten() throws Exception {
        Cluster foreign = bed.foreignCluster("kubeadm", List.of(ClusterEtcdReconciler.FINALIZER, "other.io/keep"), 3);
        Cluster kiln = threeNodeControlPlane("kiln");
        bed.startOperator("operator-a");

        eventually("the leftover finalizer released", () -> !bed.current(foreign).getMetadata().getFinalizers()
                .contains(ClusterEtcdReconciler.FINALIZER));
        bed.awaitCompletedRecord(kiln);

        Cluster after = bed.current(foreign);
        assertEquals(List.of("other.io/keep"), after.getMetadata().getFinalizers());
        assertTrue(after.getMetadata().getAnnotations() == null
                || !after.getMetadata().getAnnotations().containsKey(DecisionLog.LAST_DECISION));
        assertEquals(List.of(), bed.events(foreign, null));
        assertNull(bed.record(foreign));
        assertTrue(bed.current(kiln).getMetadata().getFinalizers().contains(ClusterEtcdReconciler.FINALIZER),
                "Kiln's own Cluster is held");
    }

    @Test
    void nothingHappensBeforeTheSecretsBundleExists() throws Exception {
        Cluster cluster = bed.clusterWithoutSecrets("no-bundle");
        bed.controlPlaneMachine(cluster, "cp-0", "10.0.1.1");
        bed.startOperator("operator-a");

        eventually("a wait for the bundle", () -> !bed.events(cluster, "WaitingForSecrets").isEmpty());

        assertNull(bed.record(cluster));
        assertEquals(0, bed.nodes.bootstrapCalls());
    }
}
