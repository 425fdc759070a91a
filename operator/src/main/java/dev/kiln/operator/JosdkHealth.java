package dev.kiln.operator;

import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RuntimeInfo;
import io.javaoperatorsdk.operator.api.config.InformerStoppedHandler;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Health of the JOSDK operator. Live until an informer dies with an error (JOSDK's fatal state: its watch is gone and
 * will not come back). Ready once the operator has started, which JOSDK does only after every informer has synced,
 * and while every event source stays healthy. Leadership is not part of readiness: a standby replica has synced
 * caches too and is ready to take over the moment it gets the Lease.
 */
public final class JosdkHealth implements OperatorHealth, InformerStoppedHandler {

    private static final Logger log = LoggerFactory.getLogger(JosdkHealth.class);

    private final AtomicReference<Operator> operator = new AtomicReference<>();
    private final AtomicReference<String> fatal = new AtomicReference<>();
    private volatile boolean stopping;

    /** Called once the operator exists; until then the process is live but not ready. */
    public void watch(Operator operator) {
        this.operator.set(operator);
    }

    /** Marks the replica as going away, so it stops being ready before it stops working. */
    public void stopping() {
        stopping = true;
    }

    @Override
    public void onStop(SharedIndexInformer informer, Throwable error) {
        if (error == null || stopping) {
            return;
        }
        String kind = informer.getApiTypeClass().getSimpleName();
        String reason = "informer for " + kind + " stopped: " + error.getMessage();
        fatal.compareAndSet(null, reason);
        log.error("Fatal: {}; /healthz now fails so the process gets restarted", reason, error);
    }

    @Override
    public Check liveness() {
        String reason = fatal.get();
        return reason == null ? Check.ok("alive") : Check.failing("fatal: " + reason);
    }

    @Override
    public Check readiness() {
        if (stopping) {
            return Check.failing("stopping");
        }
        Operator current = operator.get();
        if (current == null || !current.getRuntimeInfo().isStarted()) {
            return Check.failing("starting: informers not synced yet");
        }
        RuntimeInfo runtime = current.getRuntimeInfo();
        if (!runtime.allEventSourcesAreHealthy()) {
            return Check.failing("unhealthy event sources: " + runtime.unhealthyEventSources().keySet());
        }
        return Check.ok("ready: " + runtime.getRegisteredControllers().size() + " controllers started");
    }
}
