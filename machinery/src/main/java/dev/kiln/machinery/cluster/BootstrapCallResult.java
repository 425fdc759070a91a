package dev.kiln.machinery.cluster;

/** How the holder's Bootstrap call answered. */
public enum BootstrapCallResult {
    ACCEPTED,
    ALREADY_EXISTS,
    FAILED
}
