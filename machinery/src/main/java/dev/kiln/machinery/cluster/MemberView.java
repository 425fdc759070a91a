package dev.kiln.machinery.cluster;

import java.util.Objects;

/**
 * One etcd member as the member list reports it.
 *
 * @param id      etcd member id (an unsigned 64-bit value)
 * @param name    member name, equal to its machine's hostname; etcd reports it empty until the member starts, so
 *                callers fill in the hostname of the machine whose address matches its peer URL, or leave it empty
 *                when none does (the planner then treats it as stale)
 * @param learner a non-voting member that is catching up
 * @param healthy the member answers and, for a learner, is in sync with the leader
 */
public record MemberView(long id, String name, boolean learner, boolean healthy) {

    public MemberView {
        Objects.requireNonNull(name, "name");
    }

    public static MemberView voter(long id, String name) {
        return new MemberView(id, name, false, true);
    }

    public static MemberView learner(long id, String name) {
        return new MemberView(id, name, true, true);
    }

    public MemberView withHealthy(boolean isHealthy) {
        return new MemberView(id, name, learner, isHealthy);
    }

    public MemberView promoted() {
        return new MemberView(id, name, false, healthy);
    }

    /** An added member gets its name only when its etcd starts. */
    public boolean started() {
        return !name.isEmpty();
    }

    public String hexId() {
        return Long.toHexString(id);
    }

    /** Human-readable label used in reasons. */
    public String describe() {
        return started() ? name + " (" + hexId() + ")" : "unstarted member " + hexId();
    }
}
