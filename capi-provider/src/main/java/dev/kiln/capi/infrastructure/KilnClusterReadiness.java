package dev.kiln.capi.infrastructure;

import dev.kiln.capi.api.common.Progress;
import dev.kiln.capi.api.infrastructure.v1alpha1.ApiEndpoint;

/** A KilnCluster is ready once people gave it a control-plane endpoint; nothing in Kiln ever fills it in. */
final class KilnClusterReadiness {

    static final String ENDPOINT_KNOWN = "EndpointKnown";
    static final String ENDPOINT_NOT_SET = "EndpointNotSet";

    private KilnClusterReadiness() {
    }

    static boolean provisioned(ApiEndpoint endpoint) {
        return endpoint != null && endpoint.getHost() != null && !endpoint.getHost().isBlank();
    }

    static Progress decide(ApiEndpoint endpoint) {
        if (!provisioned(endpoint)) {
            return new Progress.Stuck(ENDPOINT_NOT_SET, "spec.controlPlaneEndpoint.host is not set; set it to the "
                    + "address the cluster's API server is reached at");
        }
        return new Progress.Done(ENDPOINT_KNOWN, "control-plane endpoint " + endpoint.getHost()
                + (endpoint.getPort() == null ? "" : ":" + endpoint.getPort()));
    }
}
