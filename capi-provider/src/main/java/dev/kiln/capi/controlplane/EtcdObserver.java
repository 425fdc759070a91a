package dev.kiln.capi.controlplane;

import dev.kiln.capi.cluster.EtcdMembershipReader;
import dev.kiln.capi.cluster.EtcdMembershipReader.Candidate;
import dev.kiln.capi.node.NodeConnector;
import dev.kiln.capi.node.NodeCredentials;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Reads the etcd members through {@link EtcdMembershipReader}, asking provisioned machines that stay before those
 * being deleted, which may be leaving etcd.
 */
final class EtcdObserver {

    private final EtcdMembershipReader reader;

    EtcdObserver(NodeConnector connector) {
        this.reader = new EtcdMembershipReader(connector);
    }

    EtcdObservation observe(List<ControlPlaneMachine> machines, Optional<NodeCredentials> credentials) {
        if (credentials.isEmpty()) {
            return EtcdObservation.unobserved("the cluster's secrets bundle does not exist yet, so no node can be "
                    + "asked");
        }
        List<ControlPlaneMachine> askable = machines.stream()
                .filter(m -> m.provisioned() && m.node().isPresent())
                .sorted(Comparator.comparing(ControlPlaneMachine::deleting)
                        .thenComparingLong(ControlPlaneMachine::creationOrder))
                .toList();
        if (askable.isEmpty()) {
            return EtcdObservation.unobserved("no provisioned control-plane machine to ask for the etcd members");
        }
        List<Candidate> candidates = new ArrayList<>();
        askable.forEach(m -> candidates.add(new Candidate(m.memberName(), m.node(), true)));
        machines.stream().filter(m -> !askable.contains(m))
                .forEach(m -> candidates.add(new Candidate(m.memberName(), m.node(), false)));
        EtcdMembershipReader.Result read = reader.read(candidates, Optional.empty(), credentials.get());
        if (read instanceof EtcdMembershipReader.Result.Unknown unknown) {
            return EtcdObservation.unobserved(unknown.reason());
        }
        EtcdMembershipReader.Result.Known known = (EtcdMembershipReader.Result.Known) read;
        return new EtcdObservation(known.view(), known.leaderId(), Optional.empty());
    }
}
