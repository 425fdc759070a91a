package dev.kiln.capi.infrastructure;

import dev.kiln.machinery.config.ConfigParser;
import dev.kiln.machinery.config.ConfigPatchException;
import dev.kiln.machinery.config.ConfigPatcher;
import dev.kiln.machinery.config.ConfigProblem;
import dev.kiln.machinery.config.ParseResult;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** A Machine's bootstrap data (one machine config document) and what a node is sent of it. */
final class BootstrapData {

    static final String PEERS_POINTER = "/cluster/etcd/peers";
    // Problems at this path come from the YAML parser, whose messages quote the document, secrets included.
    private static final String YAML_PROBLEM_PATH = "(yaml)";

    /** The data cannot be sent; the message names paths and rules only, never values. */
    static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    private final String yaml;
    private final boolean controlPlane;
    private final boolean namesPeers;

    private BootstrapData(String yaml, boolean controlPlane, boolean namesPeers) {
        this.yaml = yaml;
        this.controlPlane = controlPlane;
        this.namesPeers = namesPeers;
    }

    static BootstrapData parse(String yaml) throws Invalid {
        ParseResult result = new ConfigParser().parse(yaml);
        if (result instanceof ParseResult.Invalid invalid) {
            throw new Invalid("bootstrap data is not a valid machine config: " + describe(invalid.problems()));
        }
        var config = ((ParseResult.Parsed) result).config();
        boolean namesPeers = config.cluster() != null && config.cluster().etcd() != null
                && config.cluster().etcd().peers() != null && !config.cluster().etcd().peers().isEmpty();
        return new BootstrapData(yaml, config.machine().isControlPlane(), namesPeers);
    }

    boolean controlPlane() {
        return controlPlane;
    }

    /**
     * The config to send: control-plane configs get {@code cluster.etcd.peers}; worker configs, and a first
     * control-plane machine's that names no peers, go as written (no empty key is added).
     */
    byte[] forNode(List<String> etcdPeers) throws Invalid {
        if (!controlPlane || (etcdPeers.isEmpty() && !namesPeers)) {
            return yaml.getBytes(StandardCharsets.UTF_8);
        }
        String peersPatch = Serialization.asJson(List.of(Map.of("op", "add", "path", PEERS_POINTER, "value", etcdPeers)));
        try {
            return new ConfigPatcher().apply(yaml, List.of(peersPatch), List.of()).getBytes(StandardCharsets.UTF_8);
        } catch (ConfigPatchException e) {
            throw new Invalid("cannot set cluster.etcd.peers: " + describe(e.problems()));
        }
    }

    private static String describe(List<ConfigProblem> problems) {
        return problems.stream()
                .map(p -> p.path().equals(YAML_PROBLEM_PATH) ? "not valid YAML" : p.path() + ": " + p.message())
                .distinct()
                .collect(Collectors.joining("; "));
    }
}
