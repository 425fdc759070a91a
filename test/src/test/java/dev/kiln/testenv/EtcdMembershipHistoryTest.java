package dev.kiln.testenv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EtcdMembershipHistoryTest {

    private static final Instant EPOCH = Instant.parse("2026-12-04T21:29:24.000Z");
    private static final String START = "{\"level\":\"info\",\"ts\":\"2026-12-04T21:29:23.900Z\","
            + "\"caller\":\"embed/etcd.go:302\",\"msg\":\"starting an etcd server\"}";

    @Test
    void mergesTheRunsOfSeveralMembersIntoOneChain() {
        Map<String, List<String>> logs = new LinkedHashMap<>();
        logs.put("a", List.of(START, line(0, "voters=()"), line(10, "voters=(1)"), line(20, "voters=(1) learners=(2)"),
                line(30, "voters=(1 2)")));
        logs.put("b", List.of(START, line(25, "voters=()"), line(25, "voters=(1)"), line(25, "voters=(1) learners=(2)"),
                line(25, "voters=(1 2)"), line(40, "voters=(1 2) learners=(3)"), line(50, "voters=(1 2 3)")));
        EtcdMembershipHistory history = EtcdMembershipHistory.of(logs);
        assertEquals(List.of("voters=[1]", "voters=[1] learners=[2]", "voters=[1, 2]", "voters=[1, 2] learners=[3]",
                "voters=[1, 2, 3]"), configurations(history));
        assertEquals(List.of(), history.violations(3, EPOCH));
    }

    @Test
    void keepsRunOrderWhenTimestampsTie() {
        Map<String, List<String>> logs = Map.of("b", List.of(START, line(5, "voters=(1)"),
                line(5, "voters=(1) learners=(2)"), line(5, "voters=(1 2)"), line(5, "voters=(2)")));
        assertEquals(List.of("voters=[1]", "voters=[1] learners=[2]", "voters=[1, 2]", "voters=[2]"),
                configurations(EtcdMembershipHistory.of(logs)));
    }

    @Test
    void aRestartReplayDoesNotReorderTheHistory() {
        Map<String, List<String>> logs = Map.of("a", List.of(START, line(10, "voters=(1)"),
                line(20, "voters=(1) learners=(2)"), line(30, "voters=(1 2)"),
                START, line(90, "voters=()"), line(90, "voters=(1)"), line(90, "voters=(1) learners=(2)"),
                line(90, "voters=(1 2)"), line(95, "voters=(2)")));
        EtcdMembershipHistory history = EtcdMembershipHistory.of(logs);
        assertEquals(List.of("voters=[1]", "voters=[1] learners=[2]", "voters=[1, 2]", "voters=[2]"),
                configurations(history));
        assertEquals(EPOCH.plusMillis(10), history.entries().get(0).firstSeen());
    }

    @Test
    void reportsMoreMembersThanAllowedFromTheGivenMomentOn() {
        Map<String, List<String>> logs = Map.of("a", List.of(START, line(10, "voters=(1)"),
                line(20, "voters=(1) learners=(2)"), line(30, "voters=(1 2)"), line(40, "voters=(1 2) learners=(3)"),
                line(50, "voters=(1 2 3)"), line(60, "voters=(1 3)")));
        EtcdMembershipHistory history = EtcdMembershipHistory.of(logs);
        assertEquals(List.of(), history.violations(2, EPOCH.plusMillis(65)));
        List<String> violations = history.violations(2, EPOCH.plusMillis(35));
        assertEquals(2, violations.size(), violations.toString());
        assertTrue(violations.get(0).contains("3 members, more than 2"), violations.toString());
        assertEquals(3, history.maxMembers(EPOCH.plusMillis(35)));
    }

    @Test
    void countsTheConfigurationInForceAtTheStartOfTheWindow() {
        Map<String, List<String>> logs = Map.of("a", List.of(START, line(10, "voters=(1)"),
                line(20, "voters=(1) learners=(2)"), line(30, "voters=(1 2)")));
        assertEquals(2, EtcdMembershipHistory.of(logs).maxMembers(EPOCH.plusMillis(99)));
    }

    @Test
    void reportsTwoLearnersAtOnce() {
        Map<String, List<String>> logs = Map.of("a", List.of(START, line(10, "voters=(1)"),
                line(20, "voters=(1) learners=(2)"), line(30, "voters=(1) learners=(2 3)")));
        List<String> violations = EtcdMembershipHistory.of(logs).violations(5, EPOCH);
        assertEquals(1, violations.size(), violations.toString());
        assertTrue(violations.get(0).contains("2 learners"), violations.toString());
    }

    @Test
    void reportsAStepMissingFromEveryLog() {
        Map<String, List<String>> logs = Map.of("a", List.of(START, line(10, "voters=(1)"),
                line(30, "voters=(1 2 3)")));
        List<String> violations = EtcdMembershipHistory.of(logs).violations(5, EPOCH);
        assertEquals(1, violations.size(), violations.toString());
        assertTrue(violations.get(0).contains("is not one membership change"), violations.toString());
    }

    @Test
    void reportsAHistoryWhoseBeginningIsMissing() {
        Map<String, List<String>> logs = Map.of("a", List.of(START, line(10, "voters=(1 2)"),
                line(20, "voters=(1 2) learners=(3)")));
        List<String> violations = EtcdMembershipHistory.of(logs).violations(5, EPOCH);
        assertEquals(1, violations.size(), violations.toString());
        assertTrue(violations.get(0).contains("not with a one-member cluster"), violations.toString());
    }

    @Test
    void reportsAnEmptyHistory() {
        assertEquals(List.of("no member logged any configuration"),
                EtcdMembershipHistory.of(Map.of("a", List.of(START, "[kiln] etcd waits"))).violations(3, EPOCH));
    }

    @Test
    void reportsRunsThatContradictEachOther() {
        Map<String, List<String>> logs = new LinkedHashMap<>();
        logs.put("a", List.of(START, line(10, "voters=(1)"), line(20, "voters=(1) learners=(2)")));
        logs.put("b", List.of(START, line(15, "voters=(1) learners=(2)"), line(25, "voters=(1)")));
        List<String> violations = EtcdMembershipHistory.of(logs).violations(5, EPOCH);
        assertTrue(violations.stream().anyMatch(v -> v.contains("contradicting orders")), violations.toString());
    }

    @Test
    void namesEachKindOfSingleChange() {
        var one = new EtcdMembershipHistory.Configuration(Set.of("1"), Set.of());
        var withLearner = new EtcdMembershipHistory.Configuration(Set.of("1"), Set.of("2"));
        var two = new EtcdMembershipHistory.Configuration(Set.of("1", "2"), Set.of());
        assertEquals("add learner 2", EtcdMembershipHistory.change(one, withLearner));
        assertEquals("promote 2", EtcdMembershipHistory.change(withLearner, two));
        assertEquals("remove 1", EtcdMembershipHistory.change(two, new EtcdMembershipHistory.Configuration(
                Set.of("2"), Set.of())));
        assertEquals("add voter 2", EtcdMembershipHistory.change(one, two));
        assertEquals(null, EtcdMembershipHistory.change(two, withLearner));
    }

    private static String line(int millis, String configuration) {
        return "{\"level\":\"info\",\"ts\":\"" + EPOCH.plusMillis(millis) + "\",\"caller\":\"raft/raft.go:1530\","
                + "\"msg\":\"a switched to configuration " + configuration + "\"}";
    }

    private static List<String> configurations(EtcdMembershipHistory history) {
        List<String> out = new ArrayList<>();
        history.entries().forEach(entry -> out.add(entry.configuration().toString()));
        return out;
    }
}
