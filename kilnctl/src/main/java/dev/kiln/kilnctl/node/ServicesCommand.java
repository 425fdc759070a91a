package dev.kiln.kilnctl.node;

import dev.kiln.machinery.api.machine.ServiceInfo;
import dev.kiln.machinery.client.MachineClient;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

@Command(name = "services", description = "Lists the node's services, their state and health.")
public final class ServicesCommand extends NodeCommand {

    @Override
    protected void run(MachineClient client, PrintWriter out) {
        out.printf("%-22s %-12s %-10s %s%n", "NODE", "SERVICE", "STATE", "HEALTH");
        for (ServiceInfo service : client.serviceList()) {
            String health = service.getHealth().getUnknown() ? "?" : service.getHealth().getHealthy() ? "OK"
                    : "FAIL: " + service.getHealth().getLastMessage();
            out.printf("%-22s %-12s %-10s %s%n", client.node(), service.getId(), service.getState(), health);
        }
    }
}
