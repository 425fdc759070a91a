package dev.kiln.machinery.config;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.Base64;
import java.util.List;
import java.util.Map;

/** Valid configs, as YAML and as records, for tests to start from. */
final class TestConfigs {

    static final String MACHINE_TOKEN = "abcdef.0123456789abcdef";
    static final String BOOTSTRAP_TOKEN = "zyxwvu.fedcba9876543210";
    static final String CLUSTER_ID = Base64.getEncoder().encodeToString(new byte[32]);
    static final String CLUSTER_SECRET = Base64.getEncoder().encodeToString("secret".getBytes());

    private TestConfigs() {
    }

    /** A minimal valid worker config. */
    static String workerYaml() {
        return "version: v1alpha1\n"
                + "machine:\n"
                + "  type: worker\n"
                + "  token: " + MACHINE_TOKEN + "\n"
                + "cluster:\n"
                + "  id: " + CLUSTER_ID + "\n"
                + "  secret: " + CLUSTER_SECRET + "\n"
                + "  clusterName: demo\n"
                + "  controlPlane:\n"
                + "    endpoint: https://10.0.0.1:6443\n";
    }

    /** A valid control-plane config that uses every supported key. */
    static String controlPlaneYaml() {
        String crt = TestPem.certBase64();
        String key = TestPem.keyBase64();
        return "version: v1alpha1\n"
                + "debug: true\n"
                + "persist: false\n"
                + "machine:\n"
                + "  type: controlplane\n"
                + "  token: " + MACHINE_TOKEN + "\n"
                + "  ca:\n"
                + "    crt: " + crt + "\n"
                + "    key: " + key + "\n"
                + "  certSANs:\n"
                + "    - 10.0.0.1\n"
                + "    - cp.example.com\n"
                + "  install:\n"
                + "    disk: /dev/sda\n"
                + "    image: ghcr.io/kiln/installer:v0.1.0\n"
                + "    wipe: true\n"
                + "  network:\n"
                + "    hostname: cp-1\n"
                + "cluster:\n"
                + "  id: " + CLUSTER_ID + "\n"
                + "  secret: " + CLUSTER_SECRET + "\n"
                + "  clusterName: demo\n"
                + "  controlPlane:\n"
                + "    endpoint: https://10.0.0.1:6443\n"
                + "  token: " + BOOTSTRAP_TOKEN + "\n"
                + "  ca:\n"
                + "    crt: " + crt + "\n"
                + "    key: " + key + "\n"
                + "  aggregatorCA:\n"
                + "    crt: " + crt + "\n"
                + "    key: " + key + "\n"
                + "  serviceAccount:\n"
                + "    key: " + key + "\n"
                + "  etcd:\n"
                + "    ca:\n"
                + "      crt: " + crt + "\n"
                + "      key: " + key + "\n"
                + "    extraArgs:\n"
                + "      listen-metrics-urls: http://0.0.0.0:2381\n"
                + "      election-timeout: '5000'\n"
                + "    peers:\n"
                + "      - https://10.0.0.2:2379\n"
                + "      - https://10.0.0.3:2379\n";
    }

    /** The config {@link #controlPlaneYaml()} describes, built in code. */
    static MachineConfig controlPlane() {
        PemPair ca = TestPem.pair();
        return new MachineConfig(
                MachineConfig.VERSION, true, false,
                new MachineSection(MachineType.CONTROLPLANE, MACHINE_TOKEN, ca, List.of("10.0.0.1", "cp.example.com"),
                        new InstallSection("/dev/sda", "ghcr.io/kiln/installer:v0.1.0", true), new NetworkSection("cp-1")),
                new ClusterSection(CLUSTER_ID, CLUSTER_SECRET, "demo", new ControlPlaneSection("https://10.0.0.1:6443"),
                        BOOTSTRAP_TOKEN, ca, ca, new ServiceAccountSection(ca.key()),
                        new EtcdSection(ca, Map.of("listen-metrics-urls", "http://0.0.0.0:2381", "election-timeout", "5000"),
                                List.of("https://10.0.0.2:2379", "https://10.0.0.3:2379"))));
    }

    /** The config {@link #workerYaml()} describes, built in code. */
    static MachineConfig worker() {
        return new MachineConfig(
                MachineConfig.VERSION, false, true,
                new MachineSection(MachineType.WORKER, MACHINE_TOKEN, null, List.of(), null, null),
                new ClusterSection(CLUSTER_ID, CLUSTER_SECRET, "demo", new ControlPlaneSection("https://10.0.0.1:6443"),
                        null, null, null, null, null));
    }

    static MachineConfig parseValid(String yaml) {
        ParseResult result = new ConfigParser().parse(yaml);
        if (result instanceof ParseResult.Invalid) {
            throw new AssertionError("expected a valid config, got " + ((ParseResult.Invalid) result).problems());
        }
        return assertInstanceOf(ParseResult.Parsed.class, result).config();
    }

    static List<ConfigProblem> parseProblems(String yaml) {
        ParseResult result = new ConfigParser().parse(yaml);
        return assertInstanceOf(ParseResult.Invalid.class, result, "expected problems").problems();
    }

    /** The problems rendered as "path: message" for readable assertions. */
    static List<String> rendered(List<ConfigProblem> problems) {
        return problems.stream().map(ConfigProblem::toString).toList();
    }
}
