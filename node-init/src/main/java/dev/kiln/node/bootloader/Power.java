package dev.kiln.node.bootloader;

/** What node-init's reboot and halt codes do to the machine the bootloader runs on. */
public interface Power {

    /** Boots node-init again in this process: the development launcher's reboot. */
    Power IN_PROCESS = new Power() {
        @Override
        public boolean reboot() {
            return true;
        }

        @Override
        public void halt() {
        }
    };

    /** Returns whether the bootloader should boot node-init again itself; a real reboot does not return. */
    boolean reboot();

    /** Called when node-init halts, before the bootloader returns. */
    void halt();
}
