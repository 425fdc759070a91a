package dev.kiln.node.supervisor;

import java.time.Instant;
import java.util.Objects;

/** The machine entered a stage (booting, maintenance, running, ...). */
public record MachineStageEvent(MachineStage stage, String message, Instant at) implements NodeEvent {

    public MachineStageEvent {
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(at, "at");
        message = message == null ? "" : message;
    }

    public MachineStageEvent(MachineStage stage, String message) {
        this(stage, message, Instant.now());
    }
}
