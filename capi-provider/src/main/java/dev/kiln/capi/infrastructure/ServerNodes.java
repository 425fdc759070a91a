package dev.kiln.capi.infrastructure;

import dev.kiln.capi.api.infrastructure.v1alpha1.KilnServer;
import dev.kiln.capi.node.NodeApi;
import dev.kiln.capi.node.NodeApiException;
import dev.kiln.capi.node.NodeConnector;
import dev.kiln.capi.node.NodeCredentials;
import dev.kiln.machinery.pki.SecretsBundle;
import java.util.Optional;

/** Reaches the node of a KilnServer: pinned to its maintenance fingerprint before config, mutual TLS after. */
final class ServerNodes {

    private final NodeConnector connector;

    ServerNodes(NodeConnector connector) {
        this.connector = connector;
    }

    NodeState observe(KilnServer server, Optional<SecretsBundle> secrets) {
        NodeAnswer pinned = fingerprint(server)
                .map(fingerprint -> version(server, new NodeCredentials.Maintenance(fingerprint)))
                .orElseGet(() -> new NodeAnswer.Failed("FingerprintMissing", "KilnServer "
                        + server.getMetadata().getName() + " has no spec.maintenanceFingerprint to pin"));
        NodeAnswer mutualTls = secrets
                .map(bundle -> version(server, new NodeCredentials.ClusterAdmin(bundle)))
                .orElseGet(() -> new NodeAnswer.Failed("ClusterSecretsMissing",
                        "the cluster's secrets bundle Secret does not exist"));
        return new NodeState(address(server), pinned, mutualTls);
    }

    /** Sends the config over maintenance access; callers have just seen the node answer there. */
    void applyConfiguration(KilnServer server, byte[] config) {
        String fingerprint = fingerprint(server).orElseThrow();
        try (NodeApi node = connector.connect(address(server), new NodeCredentials.Maintenance(fingerprint))) {
            node.applyConfiguration(config);
        }
    }

    /** The node wipes its state and comes back in maintenance mode; graceful: it leaves etcd first. */
    void reset(KilnServer server, SecretsBundle secrets, boolean graceful) {
        try (NodeApi node = connector.connect(address(server), new NodeCredentials.ClusterAdmin(secrets))) {
            node.reset(graceful);
        }
    }

    private NodeAnswer version(KilnServer server, NodeCredentials credentials) {
        try (NodeApi node = connector.connect(address(server), credentials)) {
            return NodeAnswer.of(node.version());
        } catch (NodeApiException e) {
            return NodeAnswer.failed(e);
        }
    }

    static String address(KilnServer server) {
        return server.getSpec().getAddress();
    }

    private static Optional<String> fingerprint(KilnServer server) {
        String fingerprint = server.getSpec().getMaintenanceFingerprint();
        return fingerprint == null || fingerprint.isBlank() ? Optional.empty() : Optional.of(fingerprint);
    }
}
