package dev.kiln.node.supervisor;

import dev.kiln.node.disk.DiskLayout;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;

/** What a service gets for one start attempt: its disk, its log, and a way to report its end. */
public final class ServiceContext {

    private final String serviceId;
    private final DiskLayout disk;
    private final ServiceLog log;
    private final Consumer<Exit> onExit;

    public ServiceContext(String serviceId, DiskLayout disk, ServiceLog log, Consumer<Exit> onExit) {
        this.serviceId = Objects.requireNonNull(serviceId, "serviceId");
        this.disk = Objects.requireNonNull(disk, "disk");
        this.log = Objects.requireNonNull(log, "log");
        this.onExit = Objects.requireNonNull(onExit, "onExit");
    }

    public String serviceId() {
        return serviceId;
    }

    public DiskLayout disk() {
        return disk;
    }

    public ServiceLog log() {
        return log;
    }

    /** Where a process-backed service records its child's PID, on the EPHEMERAL partition. */
    public Path pidFile() {
        return disk.runDir().resolve(serviceId + ".pid");
    }

    /** Reports that the work ended on its own; reports from an earlier start attempt are ignored. */
    public void exited(Exit exit) {
        onExit.accept(exit);
    }
}
