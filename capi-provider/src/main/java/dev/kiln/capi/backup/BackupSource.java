package dev.kiln.capi.backup;

import dev.kiln.machinery.cluster.EtcdView;
import dev.kiln.machinery.cluster.MemberView;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;

/**
 * Which member a snapshot is taken from: a healthy voter, a follower when there is one so the leader keeps its
 * bandwidth for the cluster, by name for a stable choice. Learners are never chosen: they may lag.
 */
public final class BackupSource {

    public record Chosen(long memberId, String machineName) {}

    private BackupSource() {
    }

    public static Optional<Chosen> choose(EtcdView view, long leaderId, Map<Long, String> machineByMemberId) {
        return view.members().stream()
                .filter(m -> !m.learner() && m.healthy() && machineByMemberId.containsKey(m.id()))
                .min(Comparator.comparing((MemberView m) -> m.id() == leaderId).thenComparing(MemberView::name))
                .map(m -> new Chosen(m.id(), machineByMemberId.get(m.id())));
    }
}
