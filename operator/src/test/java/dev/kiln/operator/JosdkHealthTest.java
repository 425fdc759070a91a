package dev.kiln.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.capi.api.infrastructure.v1alpha1.KilnCluster;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.lang.reflect.Proxy;
import org.junit.jupiter.api.Test;

class JosdkHealthTest {

    private final JosdkHealth health = new JosdkHealth();

    /** An informer of KilnClusters; JosdkHealth only asks it for its type. */
    private static SharedIndexInformer<?> kilnClusterInformer() {
        return (SharedIndexInformer<?>) Proxy.newProxyInstance(JosdkHealthTest.class.getClassLoader(),
                new Class<?>[] {SharedIndexInformer.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getApiTypeClass")) {
                        return KilnCluster.class;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void isLiveUntilAnInformerDiesWithAnError() {
        assertTrue(health.liveness().ok());
        health.onStop(kilnClusterInformer(), new IllegalStateException("watch gone"));
        assertEquals(OperatorHealth.Check.failing("fatal: informer for KilnCluster stopped: watch gone"),
                health.liveness());
    }

    @Test
    void anInformerStoppedWithoutAnErrorIsNotFatal() {
        health.onStop(kilnClusterInformer(), null);
        assertTrue(health.liveness().ok());
    }

    @Test
    void informersStoppingDuringShutdownAreNotFatal() {
        health.stopping();
        health.onStop(kilnClusterInformer(), new IllegalStateException("client closed"));
        assertTrue(health.liveness().ok());
    }

    @Test
    void isNotReadyBeforeAnOperatorExists() {
        assertEquals(OperatorHealth.Check.failing("starting: informers not synced yet"), health.readiness());
    }

    @Test
    void isNotReadyWhileStopping() {
        health.stopping();
        assertFalse(health.readiness().ok());
        assertEquals("stopping", health.readiness().reason());
    }
}
