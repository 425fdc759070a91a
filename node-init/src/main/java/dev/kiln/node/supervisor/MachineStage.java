package dev.kiln.node.supervisor;

/** The machine's stage; the order is the wire order of the machine API's {@code MachineStage}. */
public enum MachineStage {
    UNKNOWN,
    BOOTING,
    INSTALLING,
    MAINTENANCE,
    RUNNING,
    REBOOTING,
    SHUTTING_DOWN,
    RESETTING,
    UPGRADING;

    public int wireValue() {
        return ordinal();
    }
}
