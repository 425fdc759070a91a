package dev.kiln.capi.etcd;

import dev.kiln.capi.cluster.EtcdMembershipReader;
import dev.kiln.capi.cluster.EtcdMembershipReader.Candidate;
import dev.kiln.capi.node.NodeConnector;
import dev.kiln.capi.node.NodeCredentials;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The cluster's etcd members, read through {@link EtcdMembershipReader}, tied to the control-plane machines that run them. */
final class EtcdReader {

    /** Either the members, or why they cannot be known this pass. */
    sealed interface Result {
        record Known(EtcdMembers members) implements Result {
        }

        record Unknown(String reason) implements Result {
        }
    }

    private final EtcdMembershipReader reader;

    EtcdReader(NodeConnector nodes) {
        this.reader = new EtcdMembershipReader(nodes);
    }

    Result read(List<ControlPlaneMachine> machines, String etcdClusterId, NodeCredentials credentials) {
        List<Candidate> candidates = machines.stream()
                .map(machine -> new Candidate(machine.name(), machine.node(), machine.answersForEtcd()))
                .toList();
        EtcdMembershipReader.Result read = reader.read(candidates, Optional.of(etcdClusterId), credentials);
        if (read instanceof EtcdMembershipReader.Result.Unknown unknown) {
            return new Result.Unknown(unknown.reason());
        }
        EtcdMembershipReader.Result.Known known = (EtcdMembershipReader.Result.Known) read;
        Map<String, ControlPlaneMachine> byName = new HashMap<>();
        machines.forEach(machine -> byName.put(machine.name(), machine));
        Map<Long, ControlPlaneMachine> machineByMemberId = new HashMap<>();
        known.machineByMemberId().forEach((memberId, name) -> machineByMemberId.put(memberId, byName.get(name)));
        return new Result.Known(new EtcdMembers(known.view(), machineByMemberId));
    }
}
