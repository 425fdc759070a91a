package dev.kiln.capi.cluster;

import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachine;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnServer;
import dev.kiln.capi.core.v1beta1.Machine;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Optional;

/** Follows a Machine to the KilnServer it runs on: Machine → KilnMachine (infrastructureRef) → KilnServer. */
public final class MachineNodes {

    /** One machine's node: its KilnMachine, the server it claimed and that server's machine API address. */
    public record MachineNode(Machine machine, KilnMachine kilnMachine, KilnServer server) {

        public String apiAddress() {
            return server.getSpec().getAddress();
        }

        /** The host part of the API address, which is also where the node's etcd listens. */
        public String host() {
            String address = apiAddress();
            int colon = address.lastIndexOf(':');
            return colon > 0 && address.indexOf(':') == colon ? address.substring(0, colon) : address;
        }

        public String etcdClientUrl() {
            return "https://" + host() + ":2379";
        }

        /** Configured and installed: the KilnMachine reported ready. */
        public boolean provisioned() {
            return kilnMachine.getStatus() != null && Boolean.TRUE.equals(kilnMachine.getStatus().getReady());
        }
    }

    private final CachedReads<KilnMachine> kilnMachines;
    private final CachedReads<KilnServer> servers;

    /** Every read live. */
    public MachineNodes(KubernetesClient client) {
        this(CachedReads.live(client, KilnMachine.class), CachedReads.live(client, KilnServer.class));
    }

    public MachineNodes(CachedReads<KilnMachine> kilnMachines, CachedReads<KilnServer> servers) {
        this.kilnMachines = kilnMachines;
        this.servers = servers;
    }

    public Optional<KilnMachine> kilnMachine(Machine machine) {
        return kilnMachineName(machine).flatMap(name -> kilnMachines.get(machine.getMetadata().getNamespace(), name));
    }

    /** The name of the KilnMachine the Machine's infrastructureRef names, in the Machine's namespace. */
    public static Optional<String> kilnMachineName(Machine machine) {
        var ref = machine.getSpec() == null ? null : machine.getSpec().getInfrastructureRef();
        if (ref == null || !"KilnMachine".equals(ref.getKind()) || ref.getName() == null) {
            return Optional.empty();
        }
        return Optional.of(ref.getName());
    }

    public Optional<KilnServer> server(KilnMachine kilnMachine) {
        var status = kilnMachine.getStatus();
        if (status == null || status.getServerRef() == null) {
            return Optional.empty();
        }
        return servers.get(kilnMachine.getMetadata().getNamespace(), status.getServerRef().getName());
    }

    /** The machine's node; none while its server's address is malformed, so nothing dials it. */
    public Optional<MachineNode> node(Machine machine) {
        return kilnMachine(machine).flatMap(km -> node(machine, km));
    }

    /** The node behind a KilnMachine already read for {@code machine}. */
    public Optional<MachineNode> node(Machine machine, KilnMachine kilnMachine) {
        return server(kilnMachine)
                .filter(server -> KilnServerAddress.problem(server).isEmpty())
                .map(server -> new MachineNode(machine, kilnMachine, server));
    }
}
