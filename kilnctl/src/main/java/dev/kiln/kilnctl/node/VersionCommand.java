package dev.kiln.kilnctl.node;

import dev.kiln.machinery.api.machine.Version;
import dev.kiln.machinery.api.machine.VersionInfo;
import dev.kiln.machinery.client.MachineClient;
import dev.kiln.machinery.client.NodeReply;
import dev.kiln.machinery.client.FanoutReads;
import java.util.List;
import picocli.CommandLine.Command;

@Command(name = "version", description = "Prints each node's version and platform.")
public final class VersionCommand extends ReadCommand<Version> {

    @Override
    protected Version read(MachineClient client) {
        return client.version();
    }

    @Override
    protected List<NodeReply<Version>> readEach(FanoutReads reads) {
        return reads.version();
    }

    @Override
    protected List<String> header() {
        return List.of("TAG", "RUNNING", "PLATFORM", "MODE", "TRIAL", "PID", "LAST ROLLBACK");
    }

    @Override
    protected List<List<String>> rows(Version version) {
        VersionInfo info = version.getVersion();
        return List.of(List.of(info.getTag(), info.getRunning(), version.getPlatform().getName(),
                version.getPlatform().getMode(), String.valueOf(info.getTrial()), String.valueOf(info.getPid()), info.getLastRollback()));
    }
}
