package dev.kiln.machinery.config;

/**
 * One machine's config document.
 *
 * <p>When read from YAML, an absent {@code debug} is {@code false} and an absent {@code persist} is {@code true}
 * (the Talos defaults). {@code machine} and {@code cluster} are required but may be {@code null} in a config that
 * has not been validated.
 */
public record MachineConfig(
        String version,
        boolean debug,
        boolean persist,
        MachineSection machine,
        ClusterSection cluster) {

    /** The only config version Kiln understands. */
    public static final String VERSION = "v1alpha1";

    static final boolean DEFAULT_DEBUG = false;
    static final boolean DEFAULT_PERSIST = true;
}
