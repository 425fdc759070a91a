package dev.kiln.node.etcd;

import dev.failsafe.RetryPolicy;
import dev.kiln.node.etcd.EtcdMembershipRecord.Origin;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Joining an existing cluster as a learner, one step at a time, each step written to the membership record before it
 * is taken: LEARNER_ADD_INTENDED, JOINING (learner added, ID known), ETCD_STARTED (etcd answered with the recorded
 * IDs), JOINED (promoted). {@link EtcdBootPlan} decides from that record whether a restart resumes or rolls back.
 */
final class EtcdJoin {

    /** How long a pending learner may stay unstarted, its peer URL silent, before a joining node removes it. */
    static final Duration STALE_LEARNER_BOUND = Duration.ofSeconds(60);
    // A fresh learner of a small cluster is in sync within a few heartbeats: ask early, then back off to the old pace.
    private static final Duration PROMOTE_POLL_FIRST = Duration.ofMillis(20);
    private static final Duration PROMOTE_POLL = Duration.ofMillis(200);
    // etcd 3.4 refuses an add until its leader has been connected to every voter for 5 s; a refusal is one call on an
    // open client, so the next join is asked for often enough to start within a tenth of a second of that.
    private static final Duration LEARNER_RETRY_FIRST = Duration.ofMillis(50);
    private static final Duration LEARNER_RETRY = Duration.ofMillis(100);
    private static final Duration START_PATIENCE = Duration.ofMinutes(2);
    private static final Duration PROMOTE_PATIENCE = Duration.ofMinutes(10);
    private static final Duration REMOVAL_PATIENCE = Duration.ofSeconds(60);
    private static final Duration PEER_PROBE = Duration.ofMillis(500);

    /** What a join needs from the node that runs it. */
    interface Node {
        String name();

        URI peerUrl();

        Path recordFile();

        EtcdService service();

        /** Makes the supervisor start etcd with the launch given to the service. */
        void startEtcd();

        /** The identity a started etcd must answer with from now on. */
        void expect(EtcdBootPlan.Identity identity);

        /** A one-line status for the etcd service and the event stream. */
        void say(String message);

        /** A line in the etcd log. */
        void log(String message);
    }

    private final Node node;
    private final Map<Long, Long> unstartedSince = new HashMap<>();

    EtcdJoin(Node node) {
        this.node = node;
    }

    /** Adds this node as a learner of the cluster {@code cluster} serves, starts etcd and waits for promotion. */
    EtcdMembershipRecord run(EtcdAdmin cluster) throws Exception {
        EtcdClusterView before = cluster.members();
        save(new EtcdMembershipRecord(Origin.LEARNER_ADD_INTENDED, 0, before.clusterId(), 0,
                node.peerUrl().toString()));
        removeStaleSelf(cluster);
        EtcdMember added = addLearnerOnceNoneIsPending(cluster);
        long addedAt = System.nanoTime();
        EtcdClusterView view = cluster.members();
        EtcdMembershipRecord joining = new EtcdMembershipRecord(Origin.JOINING, added.id(), view.clusterId(), 0,
                node.peerUrl().toString());
        save(joining);
        node.expect(new EtcdBootPlan.Identity(view.clusterId(), added.id()));
        node.say("joining cluster " + hex(view.clusterId()) + " as learner " + hex(added.id()));
        node.service().launchNext(new EtcdLaunch.JoinExisting(initialCluster(view, added.id())));
        node.startEtcd();
        EtcdMembershipRecord joined = finish(cluster, joining);
        long joinMillis = (System.nanoTime() - addedAt) / 1_000_000;
        EtcdMembershipRecord timed = new EtcdMembershipRecord(Origin.JOINED, joined.memberId(), joined.clusterId(),
                joinMillis, joined.peerUrl());
        save(timed);
        return timed;
    }

    /** From a learner whose etcd runs or is starting on its own data: verified start, then promotion. */
    EtcdMembershipRecord finish(EtcdAdmin cluster, EtcdMembershipRecord joining) throws Exception {
        awaitVerifiedStart();
        if (joining.origin() == Origin.JOINING) {
            save(joining.at(Origin.ETCD_STARTED));
        }
        promoteWhenInSync(cluster, joining.memberId());
        EtcdMembershipRecord joined = joining.at(Origin.JOINED);
        save(joined);
        return joined;
    }

    /** Removes the learner of a join that never wrote a WAL; a learner that is already gone counts as removed. */
    void rollBack(EtcdAdmin cluster, long learnerId) throws Exception {
        Optional<EtcdMember> learner = cluster.members().byId(learnerId);
        if (learner.isPresent() && learner.get().started()) {
            throw new IOException("member " + hex(learnerId) + " recorded as this node's unfinished join has started"
                    + " elsewhere; refusing to remove it");
        }
        if (learner.isPresent()) {
            node.log("removing learner " + hex(learnerId) + " of a join that never wrote a WAL");
            retry(() -> cluster.remove(learnerId));
        }
    }

    /** A member that carries this node's name or peer URL is a leftover of an earlier life of this disk. */
    private void removeStaleSelf(EtcdAdmin cluster) throws Exception {
        for (EtcdMember member : cluster.members().members()) {
            if (member.name().equals(node.name()) || member.peerUrls().contains(node.peerUrl())) {
                node.say("removing stale member " + hex(member.id()) + " with this node's identity");
                retry(() -> cluster.remove(member.id()));
            }
        }
    }

    private EtcdMember addLearnerOnceNoneIsPending(EtcdAdmin cluster) throws Exception {
        RetryPolicy<EtcdMember> whileRefusedForNow = RetryPolicy.<EtcdMember>builder()
                .handleIf(e -> e instanceof EtcdCallException c && c.refusal().isTransient())
                .withBackoff(LEARNER_RETRY_FIRST, LEARNER_RETRY)
                .withMaxRetries(-1)
                .build();
        return EtcdRetries.get(whileRefusedForNow, () -> {
            try {
                return cluster.addLearner(node.peerUrl());
            } catch (EtcdCallException e) {
                if (e.refusal() == EtcdRefusal.TOO_MANY_LEARNERS) {
                    handlePendingLearners(cluster);
                }
                throw e;
            }
        });
    }

    /** Says which learner blocks this join, and removes it once it is stale: unstarted past the bound and silent. */
    private void handlePendingLearners(EtcdAdmin cluster) throws EtcdCallException {
        long now = System.nanoTime();
        for (EtcdMember member : cluster.members().members()) {
            if (!member.learner()) {
                continue;
            }
            String peer = member.peerUrls().isEmpty() ? "no peer URL" : member.peerUrls().get(0).toString();
            node.say("waiting for learner " + hex(member.id()) + " (" + peer + ")");
            if (member.started()) {
                unstartedSince.remove(member.id());
                continue;
            }
            long since = unstartedSince.computeIfAbsent(member.id(), id -> now);
            boolean pastBound = now - since > STALE_LEARNER_BOUND.toNanos();
            if (pastBound && member.peerUrls().stream().noneMatch(EtcdJoin::answers)) {
                node.say("removing stale learner " + hex(member.id()) + " (" + peer + "): unstarted for more than "
                        + STALE_LEARNER_BOUND.toSeconds() + " s and its peer URL does not answer");
                try {
                    cluster.remove(member.id());
                } catch (EtcdCallException e) {
                    if (e.refusal() != EtcdRefusal.MEMBER_NOT_FOUND) {
                        throw e;
                    }
                }
                unstartedSince.remove(member.id());
            }
        }
    }

    private void awaitVerifiedStart() throws Exception {
        RetryPolicy<Boolean> untilVerified = RetryPolicy.<Boolean>builder()
                .handleResult(false)
                .withBackoff(PROMOTE_POLL_FIRST, PROMOTE_POLL)
                .withMaxDuration(START_PATIENCE)
                .withMaxRetries(-1)
                .build();
        if (!EtcdRetries.get(untilVerified, () -> node.service().verifiedNow())) {
            throw new IOException("etcd did not answer as the recorded learner within "
                    + START_PATIENCE.toSeconds() + " s");
        }
    }

    private static void promoteWhenInSync(EtcdAdmin cluster, long memberId) throws Exception {
        RetryPolicy<Object> untilInSync = RetryPolicy.builder()
                .handleIf(e -> e instanceof EtcdCallException c && c.refusal() != EtcdRefusal.MEMBER_NOT_FOUND)
                .withBackoff(PROMOTE_POLL_FIRST, PROMOTE_POLL)
                .withMaxDuration(PROMOTE_PATIENCE)
                .withMaxRetries(-1)
                .build();
        EtcdRetries.get(untilInSync, () -> {
            try {
                cluster.promote(memberId);
            } catch (EtcdCallException e) {
                // Already a voter: promoted before a crash that came ahead of the JOINED record.
                if (e.refusal() != EtcdRefusal.NOT_A_LEARNER) {
                    throw e;
                }
            }
            return null;
        });
    }

    private Map<String, String> initialCluster(EtcdClusterView view, long addedId) {
        Map<String, String> initialCluster = new LinkedHashMap<>();
        for (EtcdMember member : view.members()) {
            String memberName = member.id() == addedId ? node.name() : member.name();
            for (URI peerUrl : member.peerUrls()) {
                initialCluster.merge(memberName, peerUrl.toString(), (a, b) -> a + "," + memberName + "=" + b);
            }
        }
        return initialCluster;
    }

    private void save(EtcdMembershipRecord record) throws IOException {
        record.save(node.recordFile());
        node.log("membership record: " + record.origin() + (record.memberId() == 0 ? "" : " member "
                + hex(record.memberId())) + (record.clusterId() == 0 ? "" : " cluster " + hex(record.clusterId())));
    }

    private static boolean answers(URI peerUrl) {
        return EtcdRetries.acceptsConnections(peerUrl, PEER_PROBE);
    }

    private static void retry(EtcdRetries.EtcdCall call) throws EtcdCallException, InterruptedException {
        EtcdRetries.untilDone(call, REMOVAL_PATIENCE, true);
    }

    static String hex(long id) {
        return Long.toHexString(id);
    }
}
