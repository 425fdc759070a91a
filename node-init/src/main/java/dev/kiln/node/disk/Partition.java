package dev.kiln.node.disk;

import java.util.Optional;

/** A partition of the node's disk, named by the label it carries on a real machine. */
public enum Partition {
    STATE("STATE"),
    EPHEMERAL("EPHEMERAL"),
    BOOT_A("BOOT-A"),
    BOOT_B("BOOT-B"),
    META("META");

    private final String label;

    Partition(String label) {
        this.label = label;
    }

    /** The on-disk label, also the directory name under the disk root. */
    public String label() {
        return label;
    }

    /** Looks a partition up by its label, as Reset's {@code system_partitions_to_wipe} names them. */
    public static Optional<Partition> byLabel(String label) {
        for (Partition p : values()) {
            if (p.label.equals(label)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
