package dev.kiln.node.config;

import dev.kiln.machinery.config.ConfigProblem;
import dev.kiln.machinery.config.MachineConfig;
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
        }
        if (config.machine().isControlPlane() && config.cluster().etcd() == null) {
            problems.add(new ConfigProblem("cluster.etcd", "is required on a control-plane node"));
        }
        return problems;
    }
}
