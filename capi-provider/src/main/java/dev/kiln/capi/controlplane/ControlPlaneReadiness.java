package dev.kiln.capi.controlplane;

import dev.kiln.capi.api.common.Progress;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether a KilnControlPlane is what its spec asks for. Ready needs every desired machine to exist, be up to date
 * and available, no machine still being deleted, and etcd to hold exactly the desired number of voters and no
 * learner. A refused spec, and a halted in-place upgrade, are stuck: nothing changes until the spec does.
 */
final class ControlPlaneReadiness {

    static final String READY_REASON = "ControlPlaneReady";

    /**
     * @param availableMachines live machines that are provisioned and a healthy etcd voter
     * @param outcome           what this pass decided and did
     */
    record Facts(int desiredReplicas, int liveMachines, int deletingMachines, int upToDateMachines,
            int availableMachines, int etcdVoters, int etcdLearners, Outcome outcome) {
    }

    private ControlPlaneReadiness() {
    }

    static Progress decide(Facts facts) {
        if (facts.outcome().refusal() || facts.outcome().halted()) {
            return new Progress.Stuck(facts.outcome().reason(), facts.outcome().message());
        }
        List<Gap> gaps = gaps(facts);
        if (gaps.isEmpty()) {
            return new Progress.Done(READY_REASON, facts.desiredReplicas() + " machines up to date and available; "
                    + "etcd has " + facts.etcdVoters() + " voters and no learner");
        }
        String reason = facts.outcome().decision().equals("Steady") ? gaps.get(0).reason() : facts.outcome().reason();
        return new Progress.Working(reason, String.join("; ", gaps.stream().map(Gap::message).toList()) + " ("
                + facts.outcome().summary() + ")");
    }

    private record Gap(String reason, String message) {
    }

    private static List<Gap> gaps(Facts f) {
        List<Gap> gaps = new ArrayList<>();
        if (f.liveMachines() != f.desiredReplicas()) {
            gaps.add(new Gap(f.liveMachines() < f.desiredReplicas() ? "TooFewMachines" : "TooManyMachines",
                    f.liveMachines() + " of " + f.desiredReplicas() + " machines exist"));
        }
        if (f.upToDateMachines() < f.liveMachines()) {
            gaps.add(new Gap("MachinesOutdated", (f.liveMachines() - f.upToDateMachines()) + " machines are not up "
                    + "to date"));
        }
        if (f.availableMachines() < f.desiredReplicas()) {
            gaps.add(new Gap("MachinesNotAvailable", f.availableMachines() + " of " + f.desiredReplicas()
                    + " machines are available"));
        }
        if (f.deletingMachines() > 0) {
            gaps.add(new Gap("MachinesDeleting", f.deletingMachines() + " machines are being deleted"));
        }
        if (f.etcdVoters() != f.desiredReplicas()) {
            gaps.add(new Gap("EtcdVotersNotAtDesired", "etcd has " + f.etcdVoters() + " voters, "
                    + f.desiredReplicas() + " desired"));
        }
        if (f.etcdLearners() > 0) {
            gaps.add(new Gap("EtcdLearnersPresent", "etcd has " + f.etcdLearners() + " learners"));
        }
        return gaps;
    }
}
