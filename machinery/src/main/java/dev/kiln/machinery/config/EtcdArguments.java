package dev.kiln.machinery.config;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which etcd flags {@code cluster.etcd.extraArgs} may set. Flags that decide etcd's identity, data, addresses, TLS,
 * authentication or membership safety belong to the node: overriding them could move etcd, open it without client
 * certificates, make it form a second cluster, let an isolated member depose the leader, or hide why etcd failed.
 */
public final class EtcdArguments {

    public static final String DENIED_MESSAGE =
            "may not be set: the node sets etcd's identity, addresses, security and safety";

    private static final Pattern FLAG_NAME = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
    private static final int MAX_NAME_LENGTH = 128;
    private static final Set<String> DENIED = Set.of(
            // identity and data
            "name", "data-dir", "wal-dir", "force-new-cluster", "config-file",
            "initial-cluster", "initial-cluster-state", "initial-cluster-token",
            // addresses
            "listen-client-urls", "listen-client-http-urls", "listen-peer-urls",
            "advertise-client-urls", "initial-advertise-peer-urls",
            // client TLS and authentication
            "cert-file", "key-file", "trusted-ca-file", "client-cert-auth", "client-crl-file",
            "client-cert-file", "client-key-file", "auto-tls", "self-signed-cert-validity",
            "cipher-suites", "tls-min-version", "tls-max-version", "enable-v2",
            "experimental-peer-skip-client-san-verification",
            // membership safety, and the structured log the node reads etcd's failure reasons from
            "pre-vote", "strict-reconfig-check", "experimental-initial-corrupt-check", "logger", "log-outputs",
            "log-package-levels");
    // Every peer-* flag is peer TLS or peer addressing; every discovery* flag finds other members.
    private static final Set<String> DENIED_PREFIXES = Set.of("peer-", "discovery");

    private EtcdArguments() {
    }

    /** Why flag {@code name} may not be set, or empty when it may. */
    public static Optional<String> problem(String name) {
        if (name.length() > MAX_NAME_LENGTH || !FLAG_NAME.matcher(name).matches()) {
            return Optional.of("not an etcd flag name (lowercase letters, digits and '-', without leading dashes)");
        }
        if (isDenied(name)) {
            return Optional.of(DENIED_MESSAGE);
        }
        return Optional.empty();
    }

    /** Why {@code value} cannot be passed on etcd's command line, or empty when it can. */
    public static Optional<String> valueProblem(String value) {
        if (value.indexOf('\0') >= 0) {
            return Optional.of("must not contain a NUL character");
        }
        return Optional.empty();
    }

    public static boolean isDenied(String name) {
        if (DENIED.contains(name)) {
            return true;
        }
        return DENIED_PREFIXES.stream().anyMatch(name::startsWith);
    }
}
