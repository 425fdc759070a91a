package dev.kiln.node.api;

import dev.kiln.machinery.api.machine.ApplyConfigurationRequest;
import dev.kiln.machinery.config.MachineConfig;
import dev.kiln.node.NodeRefusal;
import dev.kiln.node.config.ConfigApplier;
import dev.kiln.node.etcd.EtcdNode;
import dev.kiln.node.supervisor.EventLog;
import dev.kiln.node.supervisor.Supervisor;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** What the machine API asks of the machine it serves; the machine implements it and hands itself to the service. */
public interface MachineControl {

    String hostname();

    /** True for the whole life of a process that booted without a config, including the moments before it exits. */
    boolean inMaintenance();

    /** Why the stored config could not be used, when the node serves its API with the stored machine CA only. */
    Optional<String> unusableConfig();

    Optional<MachineConfig> config();

    Optional<EtcdNode> etcd();

    Supervisor supervisor();

    EventLog events();

    VersionInfo version() throws IOException;

    ConfigApplier.Applied applyConfiguration(byte[] data, ApplyConfigurationRequest.Mode mode, boolean dryRun,
            Duration tryTimeout) throws NodeRefusal;

    void reboot();

    /** Returns the acknowledgement the Upgrade reply carries. */
    String upgrade(String image, boolean stage, boolean preserve, boolean force) throws NodeRefusal;

    String rollback() throws NodeRefusal;

    void shutdown();

    void reset(boolean graceful, boolean reboot, List<String> labels) throws NodeRefusal;
}
