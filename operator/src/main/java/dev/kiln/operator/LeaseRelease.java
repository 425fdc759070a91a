package dev.kiln.operator;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.ZonedDateTime;

/**
 * Gives up the Lease on a clean stop, so a standby takes over at its next retry instead of waiting out the lease
 * duration: JOSDK 5.2.3 builds fabric8's leader elector with release-on-cancel off, so nothing else does. An empty
 * holder is what Kubernetes leader election reads as a free Lease.
 */
final class LeaseRelease {

    sealed interface Outcome {
    }

    record Released(String namespace, String name) implements Outcome {
    }

    /** Another replica holds it already, or nobody: nothing to give up. */
    record NotHeld(String holder) implements Outcome {
    }

    /** The Lease could not be read or written; it expires on its own. */
    record Failed(String reason) implements Outcome {
    }

    private LeaseRelease() {
    }

    /** Empties the holder of Lease {@code namespace/name} if {@code identity} holds it, guarded by resourceVersion. */
    static Outcome release(KubernetesClient client, String namespace, String name, String identity) {
        try {
            Lease lease = client.leases().inNamespace(namespace).withName(name).get();
            if (lease == null || lease.getSpec() == null || !identity.equals(lease.getSpec().getHolderIdentity())) {
                return new NotHeld(lease == null || lease.getSpec() == null ? ""
                        : String.valueOf(lease.getSpec().getHolderIdentity()));
            }
            lease.getSpec().setHolderIdentity(null);
            lease.getSpec().setLeaseDurationSeconds(1);
            lease.getSpec().setRenewTime(ZonedDateTime.now());
            client.leases().inNamespace(namespace).resource(lease).update();
            return new Released(namespace, name);
        } catch (KubernetesClientException e) {
            return new Failed(e.getCode() == 409 ? "another replica changed it meanwhile" : e.getMessage());
        }
    }
}
