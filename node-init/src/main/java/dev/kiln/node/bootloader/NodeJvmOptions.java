package dev.kiln.node.bootloader;

/** Prints the JVM options the bootloader launches node-init with, for benchmarks and the image build. */
public final class NodeJvmOptions {

    private NodeJvmOptions() {
    }

    public static void main(String[] args) {
        System.out.println(String.join(" ", Bootloader.NODE_JVM_OPTIONS));
    }
}
