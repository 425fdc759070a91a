package dev.kiln.machinery.client;

import java.util.concurrent.Executor;

/**
 * The threads a kept channel runs on instead of gRPC's shared default pool, which grows a thread per concurrent task:
 * {@code callbacks} for the listeners of calls that have no executor of their own (async stubs), {@code offload} for
 * TLS handshake work and name lookups.
 */
public record ChannelExecutors(Executor callbacks, Executor offload) {
}
