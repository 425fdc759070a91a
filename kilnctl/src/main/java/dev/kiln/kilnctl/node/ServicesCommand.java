package dev.kiln.kilnctl.node;

import dev.kiln.machinery.api.machine.ServiceInfo;
import dev.kiln.machinery.api.machine.ServiceList;
import dev.kiln.machinery.client.MachineClient;
import dev.kiln.machinery.client.NodeReply;
import dev.kiln.machinery.client.FanoutReads;
import java.util.List;
import picocli.CommandLine.Command;

@Command(name = "services", description = "Lists the nodes' services, their state and health.")
public final class ServicesCommand extends ReadCommand<ServiceList> {

    @Override
    protected ServiceList read(MachineClient client) {
        return ServiceList.newBuilder().addAllServices(client.serviceList()).build();
    }

    @Override
    protected List<NodeReply<ServiceList>> readEach(FanoutReads reads) {
        return reads.serviceList().stream()
                .map(reply -> reply.map(services -> ServiceList.newBuilder().addAllServices(services).build()))
                .toList();
    }

    @Override
    protected List<String> header() {
        return List.of("SERVICE", "STATE", "HEALTH", "LAST HEALTH MESSAGE");
    }

    @Override
    protected List<List<String>> rows(ServiceList list) {
        return list.getServicesList().stream().map(ServicesCommand::row).toList();
    }

    private static List<String> row(ServiceInfo service) {
        String health = service.getHealth().getUnknown() ? "?" : service.getHealth().getHealthy() ? "OK" : "FAIL";
        return List.of(service.getId(), service.getState(), health, service.getHealth().getLastMessage());
    }
}
