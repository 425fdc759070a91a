package dev.kiln.capi.infrastructure;

import dev.kiln.capi.api.infrastructure.v1alpha1.KilnServer;
import dev.kiln.capi.cluster.KilnServerAddress;
import dev.kiln.capi.node.NodeApi;
import dev.kiln.capi.node.NodeApiException;
import dev.kiln.capi.node.NodeConnector;
import dev.kiln.capi.node.NodeCredentials;
import dev.kiln.machinery.pki.SecretsBundle;
import java.util.Optional;

/** Reaches the node of a KilnServer: pinned to its maintenance fingerprint before config, mutual TLS after. */
final class ServerNodes {

    static final String INVALID_ADDRESS = "InvalidServerAddress";

    private final NodeConnector connector;

    ServerNodes(NodeConnector connector) {
        this.connector = connector;
    }

    NodeState observe(KilnServer server, Optional<SecretsBundle> secrets) {
        Optional<String> addressProblem = KilnServerAddress.problem(server);
        if (addressProblem.isPresent()) {
            NodeAnswer refused = new NodeAnswer.Failed(INVALID_ADDRESS, addressProblem.get());
            return new NodeState(address(server), refused, refused);
        }
        NodeAnswer pinned = fingerprint(server)
                .map(fingerprint -> version(server, new NodeCredentials.Maintenance(fingerprint)))
                .orElseGet(() -> new NodeAnswer.Failed("FingerprintMissing", "KilnServer "
                        + server.getMetadata().getName() + " has no spec.maintenanceFingerprint to pin"));
        if (pinned instanceof NodeAnswer.Maintenance) {
            // A node in maintenance mode serves no certificate of the cluster's CA: a mutual TLS call cannot succeed.
            return new NodeState(address(server), pinned, new NodeAnswer.NotAsked("it answers in maintenance mode"));
        }
        NodeAnswer mutualTls = secrets
                .map(bundle -> version(server, new NodeCredentials.ClusterAdmin(bundle)))
                .orElseGet(() -> new NodeAnswer.Failed("ClusterSecretsMissing",
                        "the cluster's secrets bundle Secret does not exist"));
        return new NodeState(address(server), pinned, mutualTls);
    }

    /** Starts the handshake of the maintenance access the config will be sent over, while the config is rendered. */
    void prepareMaintenanceAccess(KilnServer server) {
        Optional<String> fingerprint = fingerprint(server);
        if (KilnServerAddress.problem(server).isEmpty() && fingerprint.isPresent()) {
            connector.prepare(address(server), new NodeCredentials.Maintenance(fingerprint.get()));
        }
    }

    /** Sends the config over maintenance access; callers have just seen the node answer there. */
    void applyConfiguration(KilnServer server, byte[] config) {
        String fingerprint = fingerprint(server).orElseThrow();
        try (NodeApi node = connect(server, new NodeCredentials.Maintenance(fingerprint))) {
            node.applyConfiguration(config);
        }
    }

    /**
     * Wipes the node's state; it comes back in maintenance mode. Not graceful: a control-plane machine's member has
     * already left etcd through the pre-terminate hook before its infrastructure is released, and a removed member
     * cannot leave again (its etcd stops, so a graceful reset would be refused for good).
     */
    void reset(KilnServer server, SecretsBundle secrets) {
        try (NodeApi node = connect(server, new NodeCredentials.ClusterAdmin(secrets))) {
            node.reset(false);
        }
    }

    private NodeAnswer version(KilnServer server, NodeCredentials credentials) {
        try (NodeApi node = connect(server, credentials)) {
            return NodeAnswer.of(node.version());
        } catch (NodeApiException e) {
            return NodeAnswer.failed(e);
        }
    }

    // The one place this class dials: a malformed address is refused here, before any connection.
    private NodeApi connect(KilnServer server, NodeCredentials credentials) {
        Optional<String> problem = KilnServerAddress.problem(server);
        if (problem.isPresent()) {
            throw new NodeApiException(String.valueOf(address(server)), NodeApiException.Kind.REFUSED, problem.get(),
                    null);
        }
        return connector.connect(address(server), credentials);
    }

    static String address(KilnServer server) {
        return server.getSpec().getAddress();
    }

    private static Optional<String> fingerprint(KilnServer server) {
        String fingerprint = server.getSpec().getMaintenanceFingerprint();
        return fingerprint == null || fingerprint.isBlank() ? Optional.empty() : Optional.of(fingerprint);
    }
}
