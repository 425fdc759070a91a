package dev.kiln.capi.etcd;

import java.time.Duration;
import java.time.Instant;

/**
 * Whether the admin kubeconfig must be written (again): when it is missing or unreadable, names another API server
 * or another CA than the cluster's, or its client certificate has passed {@link #RENEW_AT_PERCENT_OF_LIFETIME} percent
 * of its lifetime. Pure: the reconciler reads the Secret and writes what this says.
 */
sealed interface KubeconfigRenewal {

    /** Like the kubelet with its own client certificate: renewed with about 30% of its lifetime left (~110 days of 365). */
    int RENEW_AT_PERCENT_OF_LIFETIME = 70;

    /** Nothing to do until {@code renewAt}. */
    record Current(Instant renewAt) implements KubeconfigRenewal {}

    /** Write a new kubeconfig; {@code rotation} when one exists and is replaced. */
    record Write(String reason, boolean rotation) implements KubeconfigRenewal {}

    /** What the stored Secret holds, as far as renewal cares. */
    sealed interface Stored {
        record Missing() implements Stored {}

        record Unreadable(String why) implements Stored {}

        record Issued(String server, String caPem, Instant notBefore, Instant notAfter) implements Stored {}
    }

    static KubeconfigRenewal decide(Stored stored, String server, String caPem, Instant now) {
        if (stored instanceof Stored.Missing) {
            return new Write("no admin kubeconfig yet", false);
        }
        if (stored instanceof Stored.Unreadable unreadable) {
            return new Write("the stored kubeconfig cannot be read (" + unreadable.why() + ")", true);
        }
        Stored.Issued issued = (Stored.Issued) stored;
        if (!issued.server().equals(server)) {
            return new Write("it points at " + issued.server() + ", the control-plane endpoint is now " + server, true);
        }
        if (!issued.caPem().strip().equals(caPem.strip())) {
            return new Write("it trusts a CA other than the cluster's Kubernetes CA", true);
        }
        Instant renewAt = renewalPoint(issued.notBefore(), issued.notAfter());
        if (!now.isBefore(renewAt)) {
            return new Write("its client certificate expires at " + issued.notAfter() + " and was due for renewal at "
                    + renewAt + " (" + RENEW_AT_PERCENT_OF_LIFETIME + "% of its lifetime)", true);
        }
        return new Current(renewAt);
    }

    static Instant renewalPoint(Instant notBefore, Instant notAfter) {
        Duration lifetime = Duration.between(notBefore, notAfter);
        return notBefore.plus(lifetime.multipliedBy(RENEW_AT_PERCENT_OF_LIFETIME).dividedBy(100));
    }
}
