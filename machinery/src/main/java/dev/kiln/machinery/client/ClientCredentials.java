package dev.kiln.machinery.client;

import java.util.Optional;

/** How a client proves itself to a node and decides to trust it. */
public sealed interface ClientCredentials {

    /** A configured node: both sides present certificates issued from the cluster's machine API CA. */
    record MutualTls(String caPem, String certificatePem, String privateKeyPem) implements ClientCredentials {
        @Override
        public String toString() {
            return "MutualTls[certificate, key redacted]";
        }
    }

    /**
     * A node in maintenance mode: no client certificate; the server's self-signed certificate is trusted only
     * when its SHA-256 fingerprint matches, or trusted blindly when no fingerprint is given.
     */
    record Maintenance(Optional<String> pinnedFingerprint) implements ClientCredentials {
        public static Maintenance pinned(String fingerprint) {
            return new Maintenance(Optional.of(fingerprint));
        }

        public static Maintenance unpinned() {
            return new Maintenance(Optional.empty());
        }
    }
}
