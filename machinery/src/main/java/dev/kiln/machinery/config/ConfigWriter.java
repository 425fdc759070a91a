package dev.kiln.machinery.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link MachineConfig} as canonical YAML: keys in the documented order, block style, no anchors, and
 * byte-identical output for equal configs. Null sections and empty lists or maps are left out; a present section
 * with no fields set is written as {@code {}} so that reading it back gives an equal config.
 */
public final class ConfigWriter {

    public String write(MachineConfig config) {
        return YamlTrees.dump(tree(config));
    }

    private static Map<String, Object> tree(MachineConfig config) {
        Map<String, Object> root = new LinkedHashMap<>();
        putIfPresent(root, "version", config.version());
        root.put("debug", config.debug());
        root.put("persist", config.persist());
        putIfPresent(root, "machine", machine(config.machine()));
        putIfPresent(root, "cluster", cluster(config.cluster()));
        return root;
    }

    private static Map<String, Object> machine(MachineSection machine) {
        if (machine == null) {
            return null;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        putIfPresent(map, "type", machine.type() == null ? null : machine.type().yamlName());
        putIfPresent(map, "token", machine.token());
        putIfPresent(map, "ca", pemPair(machine.ca()));
        putIfNotEmpty(map, "certSANs", machine.certSANs());
        putIfPresent(map, "install", install(machine.install()));
        putIfPresent(map, "network", network(machine.network()));
        return map;
    }

    private static Map<String, Object> install(InstallSection install) {
        if (install == null) {
            return null;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        putIfPresent(map, "disk", install.disk());
        putIfPresent(map, "image", install.image());
        map.put("wipe", install.wipe());
        return map;
    }

    private static Map<String, Object> network(NetworkSection network) {
        if (network == null) {
            return null;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        putIfPresent(map, "hostname", network.hostname());
        return map;
    }

    private static Map<String, Object> cluster(ClusterSection cluster) {
        if (cluster == null) {
            return null;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        putIfPresent(map, "id", cluster.id());
        putIfPresent(map, "secret", cluster.secret());
        putIfPresent(map, "clusterName", cluster.clusterName());
        if (cluster.controlPlane() != null) {
            Map<String, Object> controlPlane = new LinkedHashMap<>();
            putIfPresent(controlPlane, "endpoint", cluster.controlPlane().endpoint());
            map.put("controlPlane", controlPlane);
        }
        putIfPresent(map, "token", cluster.token());
        putIfPresent(map, "ca", pemPair(cluster.ca()));
        putIfPresent(map, "aggregatorCA", pemPair(cluster.aggregatorCA()));
        if (cluster.serviceAccount() != null) {
            Map<String, Object> serviceAccount = new LinkedHashMap<>();
            putIfPresent(serviceAccount, "key", cluster.serviceAccount().key());
            map.put("serviceAccount", serviceAccount);
        }
        putIfPresent(map, "etcd", etcd(cluster.etcd()));
        return map;
    }

    private static Map<String, Object> etcd(EtcdSection etcd) {
        if (etcd == null) {
            return null;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        putIfPresent(map, "ca", pemPair(etcd.ca()));
        // EtcdSection keeps extraArgs sorted, so this order is stable.
        putIfNotEmpty(map, "extraArgs", etcd.extraArgs());
        putIfNotEmpty(map, "peers", etcd.peers());
        return map;
    }

    private static Map<String, Object> pemPair(PemPair pair) {
        if (pair == null) {
            return null;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        putIfPresent(map, "crt", pair.crt());
        putIfPresent(map, "key", pair.key());
        return map;
    }

    private static void putIfPresent(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    private static void putIfNotEmpty(Map<String, Object> map, String key, List<String> values) {
        if (!values.isEmpty()) {
            map.put(key, values);
        }
    }

    private static void putIfNotEmpty(Map<String, Object> map, String key, Map<String, String> values) {
        if (!values.isEmpty()) {
            map.put(key, values);
        }
    }
}
