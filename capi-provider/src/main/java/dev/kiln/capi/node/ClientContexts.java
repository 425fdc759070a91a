package dev.kiln.capi.node;

import dev.kiln.machinery.client.ClientCredentials;
import dev.kiln.machinery.client.MachineChannels;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The client TLS context of each TLS identity (a cluster's admin, a node's pinned maintenance certificate), shared by
 * every channel and event stream that presents it. A context keeps the TLS sessions its connections made, so a node's
 * second connection (its event stream beside its calls, a reconnect after a lost stream) resumes the session instead
 * of verifying and signing again, and the identity's client certificate is issued once rather than per connection.
 * A context is made afresh once unused for {@code idle}, once older than {@code maxAge}, and the least recently used
 * is dropped beyond {@code maxContexts}.
 */
public final class ClientContexts {

    static final Duration IDLE = Duration.ofMinutes(10);
    /** Far inside the client certificate's validity, so a kept context never presents an expired certificate. */
    static final Duration MAX_AGE = Duration.ofDays(1);
    static final int MAX_CONTEXTS = 4096;

    private static final class Kept {
        final SslContext context;
        final long madeNanos;
        long usedNanos;

        Kept(SslContext context, long now) {
            this.context = context;
            this.madeNanos = now;
            this.usedNanos = now;
        }
    }

    private final Duration idle;
    private final Duration maxAge;
    private final int maxContexts;
    private final LongSupplier nanoTime;
    /** By identity, least recently used first; guarded by itself. */
    private final LinkedHashMap<String, Kept> contexts = new LinkedHashMap<>(16, 0.75f, true);
    private long made;

    public ClientContexts() {
        this(IDLE, MAX_AGE, MAX_CONTEXTS, System::nanoTime);
    }

    ClientContexts(Duration idle, Duration maxAge, int maxContexts, LongSupplier nanoTime) {
        if (maxContexts < 1) {
            throw new IllegalArgumentException("client contexts: maxContexts must be at least 1, was " + maxContexts);
        }
        this.idle = idle;
        this.maxAge = maxAge;
        this.maxContexts = maxContexts;
        this.nanoTime = nanoTime;
    }

    /**
     * The kept context of {@code identity}, or one made now from {@code credentials}. The certificate is issued outside
     * the lock: new nodes come in bursts, and a burst of clusters must not wait on one another's signing.
     */
    public SslContext of(String identity, Supplier<ClientCredentials> credentials) {
        synchronized (contexts) {
            SslContext kept = usable(identity);
            if (kept != null) {
                return kept;
            }
        }
        SslContext fresh = MachineChannels.clientContext(credentials.get());
        synchronized (contexts) {
            SslContext meanwhile = usable(identity);
            if (meanwhile != null) {
                return meanwhile;
            }
            long now = nanoTime.getAsLong();
            contexts.put(identity, new Kept(fresh, now));
            made++;
            Iterator<Kept> eldestFirst = contexts.values().iterator();
            while (contexts.size() > maxContexts && eldestFirst.hasNext()) {
                eldestFirst.next();
                eldestFirst.remove();
            }
            return fresh;
        }
    }

    /** The kept context of {@code identity} if still fresh, marked used; a stale one is dropped. Holds the lock. */
    private SslContext usable(String identity) {
        Kept kept = contexts.get(identity);
        if (kept == null) {
            return null;
        }
        long now = nanoTime.getAsLong();
        if (now - kept.usedNanos > idle.toNanos() || now - kept.madeNanos > maxAge.toNanos()) {
            contexts.remove(identity);
            return null;
        }
        kept.usedNanos = now;
        return kept.context;
    }

    /** How many contexts are kept. */
    public int kept() {
        synchronized (contexts) {
            return contexts.size();
        }
    }

    /** How many contexts were ever made. */
    public long made() {
        synchronized (contexts) {
            return made;
        }
    }
}
