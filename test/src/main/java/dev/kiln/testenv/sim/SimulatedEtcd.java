package dev.kiln.testenv.sim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongPredicate;

/**
 * One etcd cluster's membership held in memory: members, learners, leader and cluster ID. Quorum is counted over
 * the voters whose machines are up, so a cluster with most voters rebooting has no leader, as etcd would.
 */
final class SimulatedEtcd {

    record Member(long id, String name, String peerUrl, String clientUrl, boolean learner) {

        Member promoted() {
            return new Member(id, name, peerUrl, clientUrl, false);
        }
    }

    private final long clusterId;
    private final Map<Long, Member> members = new LinkedHashMap<>();
    private long leaderId;

    private SimulatedEtcd(long clusterId) {
        this.clusterId = clusterId;
    }

    /** A new cluster whose only member, a voter, leads. */
    static SimulatedEtcd bootstrap(String name, String peerUrl, String clientUrl) {
        SimulatedEtcd etcd = new SimulatedEtcd(newId());
        Member first = new Member(newId(), name, peerUrl, clientUrl, false);
        etcd.members.put(first.id(), first);
        etcd.leaderId = first.id();
        return etcd;
    }

    private static long newId() {
        long id;
        do {
            id = ThreadLocalRandom.current().nextLong();
        } while (id == 0);
        return id;
    }

    long clusterId() {
        return clusterId;
    }

    synchronized List<Member> members() {
        return List.copyOf(members.values());
    }

    synchronized Optional<Member> member(long id) {
        return Optional.ofNullable(members.get(id));
    }

    /** A learner for {@code peerUrl}, replacing any member with that peer URL that never started (a lost add). */
    synchronized Member addLearner(String name, String peerUrl, String clientUrl) {
        members.values().removeIf(m -> m.peerUrl().equals(peerUrl) && m.learner());
        Member learner = new Member(newId(), name, peerUrl, clientUrl, true);
        members.put(learner.id(), learner);
        return learner;
    }

    /** Promotes the learner; false when it is gone. */
    synchronized boolean promote(long id) {
        Member learner = members.get(id);
        if (learner == null) {
            return false;
        }
        members.put(id, learner.promoted());
        return true;
    }

    /** Removes a member; false when there was none. A removed leader hands leadership to the next voter. */
    synchronized boolean remove(long id, LongPredicate up) {
        if (members.remove(id) == null) {
            return false;
        }
        if (leaderId == id) {
            leaderId = members.values().stream().filter(m -> !m.learner() && up.test(m.id())).map(Member::id)
                    .findFirst().orElse(0L);
        }
        return true;
    }

    /** The leader when the voters that are up hold a quorum, else 0; a leader that went down hands over first. */
    synchronized long leader(LongPredicate up) {
        List<Member> voters = new ArrayList<>(members.values().stream().filter(m -> !m.learner()).toList());
        long upVoters = voters.stream().filter(m -> up.test(m.id())).count();
        if (upVoters * 2 <= voters.size()) {
            return 0;
        }
        if (leaderId == 0 || !members.containsKey(leaderId) || !up.test(leaderId)) {
            leaderId = voters.stream().filter(m -> up.test(m.id())).map(Member::id).findFirst().orElse(0L);
        }
        return leaderId;
    }

    /** Moves leadership from {@code from} to another voter that is up; the successor, or empty when none. */
    synchronized Optional<Member> moveLeader(long from, LongPredicate up) {
        if (leader(up) != from) {
            return Optional.empty();
        }
        Optional<Member> successor = members.values().stream()
                .filter(m -> m.id() != from && !m.learner() && up.test(m.id())).findFirst();
        successor.ifPresent(m -> leaderId = m.id());
        return successor;
    }

    synchronized long voters() {
        return members.values().stream().filter(m -> !m.learner()).count();
    }
}
