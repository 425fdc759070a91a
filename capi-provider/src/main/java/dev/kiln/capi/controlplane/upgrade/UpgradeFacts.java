package dev.kiln.capi.controlplane.upgrade;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Everything {@link UpgradePlanner} looks at, as plain data.
 *
 * @param target   the version the machines should run and where its release comes from
 * @param machines the live, provisioned control-plane machines
 * @param members  the etcd members as the nodes report them
 * @param now      the time of this pass
 * @param timeout  how long an upgraded node may take to report the target off trial before the rollout halts
 */
public record UpgradeFacts(Target target, List<MachineFacts> machines, List<Member> members, Instant now,
        Duration timeout) {

    public UpgradeFacts {
        machines = List.copyOf(machines);
        members = List.copyOf(members);
    }

    /** {@code image} is empty when the spec names no release (then nothing can be upgraded). */
    public record Target(String version, Optional<String> image) {
    }

    /**
     * @param node       what the node said about its version this pass; empty when it did not answer
     * @param inProgress the upgrade recorded on the machine, if any (it may be for an earlier target)
     */
    public record MachineFacts(String name, Optional<NodeReport> node, Optional<InProgress> inProgress) {
    }

    /** The node's own report: the running version, whether it is on trial, its last rollback message. */
    public record NodeReport(String running, boolean trial, Optional<String> lastRollback) {
    }

    /**
     * The record written on a machine before its node is asked to upgrade.
     *
     * @param rollbackBefore the node's last rollback message when the upgrade was asked, so an old one is not news
     * @param refused        the node's answer when it refused the upgrade (bad download, digest or archive)
     */
    public record InProgress(String target, String image, Instant started, Optional<String> rollbackBefore,
            Optional<String> refused) {
    }

    /**
     * One etcd member, named like its machine.
     *
     * @param raftIndex    the last raft entry the member knows committed, from its own status; 0 when unknown
     * @param appliedIndex the last raft entry the member applied; 0 when unknown
     */
    public record Member(String name, boolean voter, boolean healthy, boolean leader, long raftIndex,
            long appliedIndex) {

        public Member(String name, boolean voter, boolean healthy, boolean leader) {
            this(name, voter, healthy, leader, 0, 0);
        }
    }

    Optional<Member> member(String name) {
        return members.stream().filter(m -> m.name().equals(name)).findFirst();
    }
}
