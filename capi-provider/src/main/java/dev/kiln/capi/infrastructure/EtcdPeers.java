package dev.kiln.capi.infrastructure;

import java.util.List;
import java.util.Objects;

/** The etcd client URLs a control-plane node is told about: those of its cluster's other control-plane servers. */
final class EtcdPeers {

    /** A control-plane machine of the cluster and the machine API address of its server, null while it has none. */
    record ControlPlaneMachine(String machineName, String serverAddress) {
    }

    private EtcdPeers() {
    }

    static List<String> clientUrls(String self, List<ControlPlaneMachine> controlPlane) {
        return controlPlane.stream()
                .filter(machine -> !machine.machineName().equals(self))
                .map(ControlPlaneMachine::serverAddress)
                .filter(Objects::nonNull)
                .map(ServerAddress::etcdClientUrl)
                .distinct()
                .sorted()
                .toList();
    }
}
