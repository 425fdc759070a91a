package dev.kiln.machinery.cluster;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/** The etcd member list; names must be unique so a machine maps to at most one member. */
public record EtcdView(List<MemberView> members) {

    public EtcdView {
        members = List.copyOf(members);
        Set<Long> ids = new HashSet<>();
        Set<String> names = new HashSet<>();
        for (MemberView m : members) {
            if (!ids.add(m.id())) {
                throw new IllegalArgumentException("duplicate etcd member id " + m.hexId());
            }
            if (m.started() && !names.add(m.name())) {
                throw new IllegalArgumentException("duplicate etcd member name " + m.name());
            }
        }
    }

    public static EtcdView of(MemberView... members) {
        return new EtcdView(List.of(members));
    }

    public static EtcdView empty() {
        return new EtcdView(List.of());
    }

    public Optional<MemberView> member(long id) {
        for (MemberView m : members) {
            if (m.id() == id) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    public Optional<MemberView> memberNamed(String name) {
        for (MemberView m : members) {
            if (m.started() && m.name().equals(name)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    public int votingCount() {
        int n = 0;
        for (MemberView m : members) {
            if (!m.learner()) {
                n++;
            }
        }
        return n;
    }

    public int healthyVotingCount() {
        int n = 0;
        for (MemberView m : members) {
            if (!m.learner() && m.healthy()) {
                n++;
            }
        }
        return n;
    }

    public boolean hasLearner() {
        for (MemberView m : members) {
            if (m.learner()) {
                return true;
            }
        }
        return false;
    }

    /** Same members with the matching ones reported unhealthy. */
    public EtcdView withUnhealthy(Predicate<MemberView> unhealthy) {
        List<MemberView> out = null;
        for (int i = 0; i < members.size(); i++) {
            MemberView m = members.get(i);
            if (m.healthy() && unhealthy.test(m)) {
                if (out == null) {
                    out = new ArrayList<>(members);
                }
                out.set(i, m.withHealthy(false));
            }
        }
        return out == null ? this : new EtcdView(out);
    }
}
