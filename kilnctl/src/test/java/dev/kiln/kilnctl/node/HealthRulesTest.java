package dev.kiln.kilnctl.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.machinery.api.machine.EtcdMember;
import dev.kiln.machinery.api.machine.EtcdMemberStatus;
import dev.kiln.machinery.api.machine.EtcdMembers;
import dev.kiln.machinery.api.machine.ServiceHealth;
import dev.kiln.machinery.api.machine.ServiceInfo;
import dev.kiln.machinery.api.machine.Version;
import dev.kiln.machinery.api.machine.VersionInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

class HealthRulesTest {

    private static final String N1 = "127.0.86.1:50000";
    private static final String N2 = "127.0.86.2:50000";

    private static Answer<EtcdMemberStatus> status(String node, long clusterId, String... errors) {
        return new Answer.Got<>(node, EtcdMemberStatus.newBuilder().setClusterId(clusterId)
                .addAllErrors(List.of(errors)).build());
    }

    private static EtcdMember member(long id, String hostname, boolean learner) {
        return EtcdMember.newBuilder().setId(id).setHostname(hostname).setIsLearner(learner).build();
    }

    private static Answer<EtcdMembers> members(String node, EtcdMember... members) {
        return new Answer.Got<>(node, EtcdMembers.newBuilder().addAllMembers(List.of(members)).build());
    }

    private static String reason(CheckResult result) {
        return ((CheckResult.Failing) result).reason();
    }

    @Test
    void etcdIsHealthyWhenEveryMemberAnswersWithoutErrors() {
        assertEquals(CheckResult.PASSED, HealthRules.etcdHealthy(List.of(status(N1, 7), status(N2, 7))));
    }

    @Test
    void anUnreachableNodeFailsEtcdHealthWithItsError() {
        CheckResult result = HealthRules.etcdHealthy(List.of(status(N1, 7),
                new Answer.Failed<>(N2, "node " + N2 + ": UNAVAILABLE: io exception")));
        assertEquals("node " + N2 + ": UNAVAILABLE: io exception", reason(result));
    }

    @Test
    void etcdErrorsFailEtcdHealth() {
        assertEquals(N1 + ": etcd reports NOSPACE", reason(HealthRules.etcdHealthy(List.of(status(N1, 7, "NOSPACE")))));
    }

    @Test
    void twoClusterIdsAreInconsistent() {
        CheckResult result = HealthRules.etcdMembersConsistent(List.of(status(N1, 0xa), status(N2, 0xb)),
                List.of(members(N1, member(1, "cp-1", false)), members(N2, member(1, "cp-1", false))));
        assertEquals("nodes are in different etcd clusters: {" + N1 + "=000000000000000a, " + N2
                + "=000000000000000b}", reason(result));
    }

    @Test
    void nodesSeeingDifferentMembersAreInconsistent() {
        CheckResult result = HealthRules.etcdMembersConsistent(List.of(status(N1, 7), status(N2, 7)),
                List.of(members(N1, member(1, "cp-1", false), member(2, "cp-2", false)),
                        members(N2, member(1, "cp-1", false))));
        assertTrue(reason(result).startsWith("nodes see different etcd members: "), reason(result));
    }

    @Test
    void oneClusterAndOneMemberListAreConsistent() {
        assertEquals(CheckResult.PASSED, HealthRules.etcdMembersConsistent(List.of(status(N1, 7), status(N2, 7)),
                List.of(members(N1, member(1, "cp-1", false), member(2, "cp-2", false)),
                        members(N2, member(2, "cp-2", false), member(1, "cp-1", false)))));
    }

    @Test
    void aLearnerIsNotYetVoting() {
        CheckResult result = HealthRules.etcdMembersAreTheNodes(
                List.of(new Answer.Got<>(N1, "cp-1"), new Answer.Got<>(N2, "cp-2")),
                List.of(members(N1, member(1, "cp-1", false), member(0x2f, "cp-2", true))));
        assertEquals("member cp-2 (000000000000002f) is a learner, not yet voting", reason(result));
    }

    @Test
    void aMissingMemberMeansTheMembersAreNotTheNodes() {
        CheckResult result = HealthRules.etcdMembersAreTheNodes(
                List.of(new Answer.Got<>(N1, "cp-1"), new Answer.Got<>(N2, "cp-2")),
                List.of(members(N1, member(1, "cp-1", false))));
        assertEquals("etcd members [cp-1] are not the control-plane nodes [cp-1, cp-2]", reason(result));
    }

    private static ServiceInfo service(String id, String state, boolean unknown, boolean healthy) {
        return ServiceInfo.newBuilder().setId(id).setState(state).setHealth(ServiceHealth.newBuilder()
                .setUnknown(unknown).setHealthy(healthy).setLastMessage("probe failed")).build();
    }

    @Test
    void runningFinishedAndSkippedServicesAreUpInEitherSpelling() {
        assertEquals(CheckResult.PASSED, HealthRules.servicesRunning(List.of(new Answer.Got<>(N1, List.of(
                service("etcd", "RUNNING", false, true), service("upgrade", "Finished", false, true),
                service("kubelet", "SKIPPED", true, false), service("apid", "Running", true, false))))));
    }

    @Test
    void aWaitingOrUnhealthyServiceIsNamed() {
        CheckResult result = HealthRules.servicesRunning(List.of(new Answer.Got<>(N1, List.of(
                service("etcd", "RUNNING", false, false), service("apid", "WAITING", true, false)))));
        assertEquals(N1 + ": service etcd is unhealthy: probe failed; " + N1 + ": service apid is WAITING",
                reason(result));
    }

    private static Answer<Version> version(String node, String tag, boolean trial) {
        return new Answer.Got<>(node, Version.newBuilder().setVersion(VersionInfo.newBuilder().setTag(tag)
                .setRunning(tag).setTrial(trial)).build());
    }

    @Test
    void oneConfirmedVersionEverywhereAgrees() {
        assertEquals(CheckResult.PASSED, HealthRules.versionsAgree(List.of(version(N1, "v1", false),
                version(N2, "v1", false))));
    }

    @Test
    void differentVersionsDisagree() {
        assertTrue(reason(HealthRules.versionsAgree(List.of(version(N1, "v1", false), version(N2, "v2", false))))
                .startsWith("versions differ: "));
    }

    @Test
    void aVersionOnTrialIsNotYetAgreed() {
        assertEquals(N2 + ": v2 is on trial, not yet confirmed",
                reason(HealthRules.versionsAgree(List.of(version(N2, "v2", true)))));
    }
}
