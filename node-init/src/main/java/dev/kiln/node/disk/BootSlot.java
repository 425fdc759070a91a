package dev.kiln.node.disk;

/** One of the two A/B system image slots. */
public enum BootSlot {
    A, B;

    public BootSlot other() {
        return this == A ? B : A;
    }

    public Partition partition() {
        return this == A ? Partition.BOOT_A : Partition.BOOT_B;
    }
}
