package dev.kiln.machinery.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a plain tree into a {@link MachineConfig}, reporting shape problems: wrong types and unrecognised machine
 * types. Keys are held against Talos's key space by {@link TalosKeyCheck}. A field with a shape problem is read as absent; value rules live in
 * {@link ConfigValidator}.
 */
final class ConfigTreeReader {

    static final String ROOT_PATH = "(root)";

    private final List<ConfigProblem> problems;

    private ConfigTreeReader(List<ConfigProblem> problems) {
        this.problems = problems;
    }

    /** Reads {@code root}, adding shape problems to {@code problems}; returns null if root is not a mapping. */
    static MachineConfig read(Object root, List<ConfigProblem> problems) {
        if (!(root instanceof Map)) {
            problems.add(new ConfigProblem(ROOT_PATH, "must be a mapping"));
            return null;
        }
        return new ConfigTreeReader(problems).config((Map<?, ?>) root);
    }

    private MachineConfig config(Map<?, ?> map) {
        Fields root = new Fields(map, "");
        MachineConfig config = new MachineConfig(
                root.string("version"),
                root.bool("debug", MachineConfig.DEFAULT_DEBUG),
                root.bool("persist", MachineConfig.DEFAULT_PERSIST),
                machine(root.section("machine")),
                cluster(root.section("cluster")));
        return config;
    }

    private MachineSection machine(Fields fields) {
        if (fields == null) {
            return null;
        }
        MachineSection machine = new MachineSection(
                machineType(fields),
                fields.string("token"),
                pemPair(fields.section("ca")),
                fields.stringList("certSANs"),
                install(fields.section("install")),
                network(fields.section("network")));
        return machine;
    }

    private MachineType machineType(Fields fields) {
        String value = fields.string("type");
        if (value == null) {
            return null;
        }
        return MachineType.fromYamlName(value).orElseGet(() -> {
            problem(fields.pathOf("type"), ConfigValidator.MACHINE_TYPE_MESSAGE);
            return null;
        });
    }

    private InstallSection install(Fields fields) {
        if (fields == null) {
            return null;
        }
        InstallSection install = new InstallSection(fields.string("disk"), fields.string("image"), fields.bool("wipe", false));
        return install;
    }

    private NetworkSection network(Fields fields) {
        if (fields == null) {
            return null;
        }
        NetworkSection network = new NetworkSection(fields.string("hostname"));
        return network;
    }

    private ClusterSection cluster(Fields fields) {
        if (fields == null) {
            return null;
        }
        ClusterSection cluster = new ClusterSection(
                fields.string("id"),
                fields.string("secret"),
                fields.string("clusterName"),
                controlPlane(fields.section("controlPlane")),
                fields.string("token"),
                pemPair(fields.section("ca")),
                pemPair(fields.section("aggregatorCA")),
                serviceAccount(fields.section("serviceAccount")),
                etcd(fields.section("etcd")));
        return cluster;
    }

    private ControlPlaneSection controlPlane(Fields fields) {
        if (fields == null) {
            return null;
        }
        ControlPlaneSection controlPlane = new ControlPlaneSection(fields.string("endpoint"));
        return controlPlane;
    }

    private ServiceAccountSection serviceAccount(Fields fields) {
        if (fields == null) {
            return null;
        }
        ServiceAccountSection serviceAccount = new ServiceAccountSection(fields.string("key"));
        return serviceAccount;
    }

    private EtcdSection etcd(Fields fields) {
        if (fields == null) {
            return null;
        }
        EtcdSection etcd = new EtcdSection(
                pemPair(fields.section("ca")), fields.stringMap("extraArgs"), fields.stringList("peers"));
        return etcd;
    }

    private PemPair pemPair(Fields fields) {
        if (fields == null) {
            return null;
        }
        PemPair pair = new PemPair(fields.string("crt"), fields.string("key"));
        return pair;
    }

    private void problem(String path, String message) {
        problems.add(new ConfigProblem(path, message));
    }

    /** One mapping of the tree. */
    private final class Fields {
        private final Map<?, ?> map;
        private final String path;

        Fields(Map<?, ?> map, String path) {
            this.map = map;
            this.path = path;
        }

        String pathOf(String key) {
            return path.isEmpty() ? key : path + "." + key;
        }

        private Object raw(String key) {
            return map.get(key);
        }

        String string(String key) {
            Object value = raw(key);
            if (value == null || value instanceof String) {
                return (String) value;
            }
            problem(pathOf(key), "must be a string");
            return null;
        }

        boolean bool(String key, boolean whenAbsent) {
            Object value = raw(key);
            if (value == null) {
                return whenAbsent;
            }
            if (value instanceof Boolean) {
                return (Boolean) value;
            }
            problem(pathOf(key), "must be a boolean (true or false)");
            return whenAbsent;
        }

        List<String> stringList(String key) {
            Object value = raw(key);
            if (value == null) {
                return List.of();
            }
            if (!(value instanceof List)) {
                problem(pathOf(key), "must be a list of strings");
                return List.of();
            }
            List<?> items = (List<?>) value;
            List<String> strings = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                if (items.get(i) instanceof String) {
                    strings.add((String) items.get(i));
                } else {
                    problem(pathOf(key) + "[" + i + "]", "must be a string");
                }
            }
            return strings;
        }

        Map<String, String> stringMap(String key) {
            Object value = raw(key);
            if (value == null) {
                return Map.of();
            }
            if (!(value instanceof Map)) {
                problem(pathOf(key), "must be a mapping of strings to strings");
                return Map.of();
            }
            Map<String, String> strings = new LinkedHashMap<>();
            ((Map<?, ?>) value).forEach((name, item) -> {
                if (item instanceof String) {
                    strings.put(String.valueOf(name), (String) item);
                } else {
                    problem(pathOf(key) + "." + name, "must be a string");
                }
            });
            return strings;
        }

        /** The nested mapping under {@code key}, or null when it is absent or not a mapping. */
        Fields section(String key) {
            Object value = raw(key);
            if (value == null) {
                return null;
            }
            if (!(value instanceof Map)) {
                problem(pathOf(key), "must be a mapping");
                return null;
            }
            return new Fields((Map<?, ?>) value, pathOf(key));
        }
    }
}
