package dev.kiln.node.supervisor;

import java.time.Instant;

/** Something that happened on the node, as streamed by the Events API. */
public sealed interface NodeEvent permits ServiceEvent, MachineStageEvent {

    Instant at();
}
