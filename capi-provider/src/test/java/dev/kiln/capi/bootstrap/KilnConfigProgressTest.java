package dev.kiln.capi.bootstrap;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.kiln.capi.api.common.Progress;
import org.junit.jupiter.api.Test;

class KilnConfigProgressTest {

    @Test
    void theDataSecretWrittenIsDone() {
        assertInstanceOf(Progress.Done.class, KilnConfigProgress.of(KilnConfigReconciler.DATA_SECRET_AVAILABLE, "m"));
    }

    @Test
    void problemsOnlyPeopleCanFixAreStuck() {
        for (String reason : new String[] {KilnConfigReconciler.INVALID_SPEC,
                KilnConfigReconciler.DATA_SECRET_CONFLICT, KilnConfigReconciler.SECRETS_BUNDLE_NOT_TRUSTED}) {
            assertInstanceOf(Progress.Stuck.class, KilnConfigProgress.of(reason, "m"), reason);
        }
    }

    @Test
    void waitsAreWorking() {
        for (String reason : new String[] {KilnConfigReconciler.WAITING_FOR_MACHINE,
                KilnConfigReconciler.WAITING_FOR_CLUSTER, KilnConfigReconciler.WAITING_FOR_ENDPOINT}) {
            assertInstanceOf(Progress.Working.class, KilnConfigProgress.of(reason, "m"), reason);
        }
    }
}
