package dev.kiln.machinery.config;

import dev.kiln.machinery.pki.CertificateAuthority;
import java.util.ArrayList;
import java.util.List;

/**
 * What a Kiln node needs from a config beyond the schema and value rules of {@link ConfigValidator}. The node refuses
 * a config with any of these problems and {@code kilnctl validate} reports them as errors, so both say the same. The
 * parser and the patcher do not apply them: a Talos config that no Kiln node can run is still a config to read.
 */
public final class NodeConfigRules {

    private NodeConfigRules() {
    }

    public static List<ConfigProblem> problems(MachineConfig config) {
        List<ConfigProblem> problems = new ArrayList<>();
        MachineSection machine = config.machine();
        PemPair ca = machine.ca();
        boolean hasKey = ca != null && ca.key() != null && !ca.key().isEmpty();
        if (ca == null) {
            problems.add(new ConfigProblem("machine.ca", "is required: the machine API's certificates chain to it"));
        } else if (!hasKey && machine.isControlPlane()) {
            problems.add(new ConfigProblem("machine.ca.key", "is required on a control-plane node: it issues its own"
                    + " machine API certificate, and the workers' (certificate service), from this CA"));
        } else if (hasKey) {
            checkUsableCa("machine.ca", ca, problems);
        }
        // A worker without the key asks the control plane for its certificate with machine.token at the host of
        // cluster.controlPlane.endpoint; ConfigValidator requires both already.
        if (machine.isControlPlane() && config.cluster().etcd() == null) {
            problems.add(new ConfigProblem("cluster.etcd", "is required on a control-plane node"));
        } else if (machine.isControlPlane() && config.cluster().etcd().ca() != null) {
            checkUsableCa("cluster.etcd.ca", config.cluster().etcd().ca(), problems);
        }
        return problems;
    }

    // The node signs certificates with these at boot; a pair that cannot sign would stop it from booting at all.
    private static void checkUsableCa(String path, PemPair pair, List<ConfigProblem> problems) {
        if (pair.decodedKey().contains("ED25519 PRIVATE KEY")) {
            problems.add(new ConfigProblem(path, "is not a usable CA: its key is Ed25519 (as Talos generates it);"
                    + " a Kiln node signs with ECDSA P-256 CA keys only"));
            return;
        }
        try {
            CertificateAuthority.fromPem(pair.decodedCrt(), pair.decodedKey());
        } catch (RuntimeException e) {
            problems.add(new ConfigProblem(path, "is not a usable CA: " + e.getMessage()));
        }
    }
}
