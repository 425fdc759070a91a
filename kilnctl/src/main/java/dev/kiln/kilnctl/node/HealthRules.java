package dev.kiln.kilnctl.node;

import dev.kiln.machinery.api.machine.EtcdMember;
import dev.kiln.machinery.api.machine.EtcdMemberStatus;
import dev.kiln.machinery.api.machine.EtcdMembers;
import dev.kiln.machinery.api.machine.ServiceInfo;
import dev.kiln.machinery.api.machine.Version;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** The health checks' verdicts on what the control-plane nodes answered; no I/O, so each is tested alone. */
final class HealthRules {

    /** Service states that count as up: running, or a one-shot that finished, or one that does not apply. */
    private static final Set<String> UP_STATES = Set.of("RUNNING", "FINISHED", "SKIPPED");

    private HealthRules() {
    }

    /** Every node's etcd member answers its status and reports no errors. */
    static CheckResult etcdHealthy(List<Answer<EtcdMemberStatus>> statuses) {
        List<String> problems = new ArrayList<>(failures(statuses));
        for (Answer<EtcdMemberStatus> answer : statuses) {
            if (answer instanceof Answer.Got<EtcdMemberStatus> got && got.value().getErrorsCount() > 0) {
                problems.add(got.node() + ": etcd reports " + String.join("; ", got.value().getErrorsList()));
            }
        }
        return verdict(problems);
    }

    /** All members belong to one etcd cluster and every node sees the same members. */
    static CheckResult etcdMembersConsistent(List<Answer<EtcdMemberStatus>> statuses,
            List<Answer<EtcdMembers>> memberLists) {
        List<String> problems = new ArrayList<>(failures(statuses));
        problems.addAll(failures(memberLists));
        if (!problems.isEmpty()) {
            return verdict(problems);
        }
        Map<String, String> clusterIds = new TreeMap<>();
        statuses.forEach(answer -> clusterIds.put(answer.node(),
                EtcdCommand.hex(((Answer.Got<EtcdMemberStatus>) answer).value().getClusterId())));
        if (clusterIds.values().stream().distinct().count() > 1) {
            problems.add("nodes are in different etcd clusters: " + clusterIds);
        }
        Map<String, Set<String>> memberIds = new TreeMap<>();
        memberLists.forEach(answer -> memberIds.put(answer.node(), ((Answer.Got<EtcdMembers>) answer).value()
                .getMembersList().stream().map(member -> EtcdCommand.hex(member.getId()))
                .collect(Collectors.toCollection(TreeSet::new))));
        if (memberIds.values().stream().distinct().count() > 1) {
            problems.add("nodes see different etcd members: " + memberIds);
        }
        return verdict(problems);
    }

    /** The members are exactly the control-plane nodes, by hostname, and every one of them votes. */
    static CheckResult etcdMembersAreTheNodes(List<Answer<String>> hostnames, List<Answer<EtcdMembers>> memberLists) {
        List<String> problems = new ArrayList<>(failures(hostnames));
        problems.addAll(failures(memberLists));
        if (!problems.isEmpty()) {
            return verdict(problems);
        }
        Set<String> nodeHostnames = hostnames.stream().map(answer -> ((Answer.Got<String>) answer).value())
                .collect(Collectors.toCollection(TreeSet::new));
        List<EtcdMember> members = ((Answer.Got<EtcdMembers>) memberLists.get(0)).value().getMembersList();
        Set<String> memberHostnames = members.stream().map(EtcdMember::getHostname)
                .collect(Collectors.toCollection(TreeSet::new));
        if (!memberHostnames.equals(nodeHostnames)) {
            problems.add("etcd members " + memberHostnames + " are not the control-plane nodes " + nodeHostnames);
        }
        for (EtcdMember member : members) {
            if (member.getIsLearner()) {
                problems.add("member " + member.getHostname() + " (" + EtcdCommand.hex(member.getId())
                        + ") is a learner, not yet voting");
            }
        }
        return verdict(problems);
    }

    /** Every service on every node is up and none reports itself unhealthy. */
    static CheckResult servicesRunning(List<Answer<List<ServiceInfo>>> serviceLists) {
        List<String> problems = new ArrayList<>(failures(serviceLists));
        for (Answer<List<ServiceInfo>> answer : serviceLists) {
            if (answer instanceof Answer.Got<List<ServiceInfo>> got) {
                for (ServiceInfo service : got.value()) {
                    if (!UP_STATES.contains(service.getState().toUpperCase(Locale.ROOT))) {
                        problems.add(got.node() + ": service " + service.getId() + " is " + service.getState());
                    } else if (!service.getHealth().getUnknown() && !service.getHealth().getHealthy()) {
                        problems.add(got.node() + ": service " + service.getId() + " is unhealthy: "
                                + service.getHealth().getLastMessage());
                    }
                }
            }
        }
        return verdict(problems);
    }

    /** Every node runs the same release, none of them on trial. */
    static CheckResult versionsAgree(List<Answer<Version>> versions) {
        List<String> problems = new ArrayList<>(failures(versions));
        if (!problems.isEmpty()) {
            return verdict(problems);
        }
        Map<String, String> byNode = new TreeMap<>();
        for (Answer<Version> answer : versions) {
            Version version = ((Answer.Got<Version>) answer).value();
            byNode.put(answer.node(), version.getVersion().getTag() + " (node-init " + version.getVersion().getRunning()
                    + ")");
            if (version.getVersion().getTrial()) {
                problems.add(answer.node() + ": " + version.getVersion().getTag() + " is on trial, not yet confirmed");
            }
        }
        if (byNode.values().stream().distinct().count() > 1) {
            problems.add(0, "versions differ: " + byNode);
        }
        return verdict(problems);
    }

    private static List<String> failures(List<? extends Answer<?>> answers) {
        return answers.stream().filter(answer -> answer instanceof Answer.Failed<?>)
                .map(answer -> ((Answer.Failed<?>) answer).error()).toList();
    }

    private static CheckResult verdict(List<String> problems) {
        return problems.isEmpty() ? CheckResult.PASSED : new CheckResult.Failing(String.join("; ", problems));
    }
}
