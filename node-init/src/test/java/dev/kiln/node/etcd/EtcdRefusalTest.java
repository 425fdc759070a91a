package dev.kiln.node.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** etcd 3.4's error texts, as its gRPC status messages carry them. */
class EtcdRefusalTest {

    @Test
    void promotingAVoterIsNotALearnerRefusalAndNotTransient() {
        EtcdRefusal refusal = EtcdRefusal.of(new RuntimeException("etcdserver: can only promote a learner member"));
        assertEquals(EtcdRefusal.NOT_A_LEARNER, refusal);
        assertFalse(refusal.isTransient());
    }

    @Test
    void promotingALaggingLearnerIsNotInSyncAndTransient() {
        EtcdRefusal refusal = EtcdRefusal.of(new RuntimeException(
                "etcdserver: can only promote a learner member which is in sync with leader"));
        assertEquals(EtcdRefusal.LEARNER_NOT_IN_SYNC, refusal);
        assertTrue(refusal.isTransient());
    }

    @Test
    void theRefusalIsFoundInACause() {
        assertEquals(EtcdRefusal.MEMBER_NOT_FOUND, EtcdRefusal.of(new RuntimeException("call failed",
                new RuntimeException("etcdserver: member not found"))));
    }
}
