package dev.kiln.capi.bootstrap;

import dev.kiln.capi.api.common.Progress;
import java.util.Set;

/** Which of a KilnConfig's Ready reasons mean done, still working, or stuck until a person acts. */
final class KilnConfigProgress {

    /** Retrying cannot help: the spec, a foreign Secret, or the untrusted secrets bundle must be changed by people. */
    static final Set<String> STUCK = Set.of(KilnConfigReconciler.INVALID_SPEC,
            KilnConfigReconciler.DATA_SECRET_CONFLICT, KilnConfigReconciler.SECRETS_BUNDLE_NOT_TRUSTED);

    private KilnConfigProgress() {
    }

    static Progress of(String reason, String message) {
        if (reason.equals(KilnConfigReconciler.DATA_SECRET_AVAILABLE)) {
            return new Progress.Done(reason, message);
        }
        return STUCK.contains(reason) ? new Progress.Stuck(reason, message) : new Progress.Working(reason, message);
    }
}
