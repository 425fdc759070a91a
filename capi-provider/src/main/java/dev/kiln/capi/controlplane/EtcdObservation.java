package dev.kiln.capi.controlplane;

import dev.kiln.machinery.cluster.EtcdView;
import dev.kiln.machinery.cluster.MemberView;
import java.util.Optional;

/**
 * What the control plane's nodes said about etcd this pass.
 *
 * @param view     members with names matched to machines and health from each member's own status
 * @param leaderId the leader's member id as the members report it; 0 when unknown
 * @param problem  why the member list could not be read, if it could not
 */
record EtcdObservation(EtcdView view, long leaderId, Optional<String> problem) {

    static EtcdObservation unobserved(String problem) {
        return new EtcdObservation(EtcdView.empty(), 0, Optional.of(problem));
    }

    Optional<MemberView> member(String name) {
        return view.memberNamed(name);
    }

    boolean leads(String memberName) {
        return leaderId != 0 && member(memberName).map(m -> m.id() == leaderId).orElse(false);
    }

    /** A voting member that answers healthy. */
    boolean healthyVoter(String memberName) {
        return member(memberName).map(m -> m.healthy() && !m.learner()).orElse(false);
    }
}
