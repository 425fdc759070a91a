package dev.kiln.machinery.config;

import static dev.kiln.machinery.config.TestConfigs.parseProblems;
import static dev.kiln.machinery.config.TestConfigs.rendered;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EtcdExtraArgsValidationTest {

    private static String withArg(String name, String value) {
        return TestConfigs.controlPlaneYaml().replace("      election-timeout: '5000'\n",
                "      election-timeout: '5000'\n      '" + name + "': '" + value + "'\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"client-cert-auth", "cert-file", "key-file", "trusted-ca-file", "auto-tls",
            "peer-auto-tls", "peer-client-cert-auth", "peer-cert-file", "peer-key-file", "peer-trusted-ca-file",
            "peer-cert-allowed-cn", "cipher-suites", "tls-min-version", "tls-max-version", "client-crl-file",
            "listen-client-urls", "listen-client-http-urls", "listen-peer-urls", "advertise-client-urls",
            "initial-advertise-peer-urls", "data-dir", "wal-dir", "name", "initial-cluster", "initial-cluster-state",
            "initial-cluster-token", "force-new-cluster", "enable-v2", "config-file", "discovery", "discovery-srv",
            "experimental-peer-skip-client-san-verification", "pre-vote", "strict-reconfig-check",
            "experimental-initial-corrupt-check", "logger", "log-outputs", "log-package-levels"})
    void refusesFlagThatMovesOrWeakensEtcd(String flag) {
        assertEquals(List.of("cluster.etcd.extraArgs." + flag + ": " + EtcdArguments.DENIED_MESSAGE),
                rendered(parseProblems(withArg(flag, "false"))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"--client-cert-auth", "Client-Cert-Auth", "cert-file ", "a=b", "heartbeat_interval", "-",
            "quota--backend"})
    void refusesMalformedFlagName(String flag) {
        List<String> problems = rendered(parseProblems(withArg(flag, "1")));
        assertEquals(List.of("cluster.etcd.extraArgs." + flag
                + ": not an etcd flag name (lowercase letters, digits and '-', without leading dashes)"), problems);
    }

    @ParameterizedTest
    @ValueSource(strings = {"heartbeat-interval", "quota-backend-bytes", "max-request-bytes", "auto-compaction-mode",
            "snapshot-count", "experimental-compaction-batch-limit"})
    void acceptsTuningFlags(String flag) {
        TestConfigs.parseValid(withArg(flag, "1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"client-cert-auth", "listen-client-urls"})
    void refusesDeniedFlagInConfigBuiltInCode(String flag) {
        MachineConfig cp = TestConfigs.controlPlane();
        EtcdSection etcd = new EtcdSection(cp.cluster().etcd().ca(), java.util.Map.of(flag, "x"), List.of());
        ClusterSection c = cp.cluster();
        MachineConfig config = new MachineConfig(cp.version(), cp.debug(), cp.persist(), cp.machine(),
                new ClusterSection(c.id(), c.secret(), c.clusterName(), c.controlPlane(), c.token(), c.ca(),
                        c.aggregatorCA(), c.serviceAccount(), etcd));
        assertEquals(List.of("cluster.etcd.extraArgs." + flag + ": " + EtcdArguments.DENIED_MESSAGE),
                rendered(new ConfigValidator().validate(config)));
    }
}
