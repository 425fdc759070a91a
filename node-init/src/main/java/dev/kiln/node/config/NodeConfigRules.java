package dev.kiln.node.config;

import dev.kiln.machinery.config.ConfigProblem;
import dev.kiln.machinery.config.MachineConfig;
import dev.kiln.machinery.config.PemPair;
import dev.kiln.machinery.pki.CertificateAuthority;
import java.util.ArrayList;
import java.util.List;

/** What a Kiln node needs from a config beyond the schema. */
public final class NodeConfigRules {

    private NodeConfigRules() {
    }

    public static List<ConfigProblem> problems(MachineConfig config) {
        List<ConfigProblem> problems = new ArrayList<>();
        if (config.machine().ca() == null || config.machine().ca().key() == null
                || config.machine().ca().key().isEmpty()) {
            problems.add(new ConfigProblem("machine.ca.key",
                    "is required: a Kiln node issues its own machine API certificate from this CA"));
        } else {
            checkUsableCa("machine.ca", config.machine().ca(), problems);
        }
        if (config.machine().isControlPlane() && config.cluster().etcd() == null) {
            problems.add(new ConfigProblem("cluster.etcd", "is required on a control-plane node"));
        } else if (config.machine().isControlPlane() && config.cluster().etcd().ca() != null) {
            checkUsableCa("cluster.etcd.ca", config.cluster().etcd().ca(), problems);
        }
        return problems;
    }

    // The node signs certificates with these at boot; a pair that cannot sign would stop it from booting at all.
    private static void checkUsableCa(String path, PemPair pair, List<ConfigProblem> problems) {
        try {
            CertificateAuthority.fromPem(pair.decodedCrt(), pair.decodedKey());
        } catch (RuntimeException e) {
            problems.add(new ConfigProblem(path, "is not a usable CA: " + e.getMessage()));
        }
    }
}
