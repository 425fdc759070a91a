package dev.kiln.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.capi.ProviderType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import org.junit.jupiter.api.io.TempDir;

class OperatorSettingsTest {

    private static final Map<String, String> NO_ENV = Map.of();

    private static OperatorSettings parse(Map<String, String> env, String... args) {
        SettingsParser.Outcome outcome = new SettingsParser(env).parse(args);
        return assertInstanceOf(SettingsParser.Run.class, outcome, "no settings: " + outcome).settings();
    }

    private static String error(Map<String, String> env, String... args) {
        return assertThrows(SettingsException.class, () -> parse(env, args)).getMessage();
    }

    @Test
    void defaultsWatchAllNamespacesWithLeaderElectionAndSsaOn() {
        OperatorSettings settings = parse(Map.of("HOSTNAME", "kiln-7f9c"));
        assertEquals(Optional.empty(), settings.watchNamespace());
        assertTrue(settings.leaderElection());
        assertEquals(Optional.empty(), settings.leaseNamespace());
        assertEquals("kiln-operator", settings.leaseName());
        assertTrue(settings.ssa());
        assertEquals(8080, settings.metricsPort());
        assertEquals(8081, settings.healthPort());
        assertEquals(Optional.empty(), settings.kubeconfig());
        assertEquals(Optional.empty(), settings.masterUrl());
    }

    @Test
    void defaultIdentityIsTheHostnameWithARandomSuffix() {
        String first = parse(Map.of("HOSTNAME", "kiln-7f9c")).identity();
        String second = parse(Map.of("HOSTNAME", "kiln-7f9c")).identity();
        assertTrue(first.matches("kiln-7f9c-[a-z0-9]{6}"), first);
        assertFalse(first.equals(second), "two processes on one host must not share an identity");
    }

    @Test
    void flagsSetEverySetting(@TempDir Path dir) throws Exception {
        Path kubeconfig = Files.writeString(dir.resolve("kubeconfig"), "apiVersion: v1\nkind: Config\n");
        OperatorSettings settings = parse(NO_ENV,
                "--namespace", "capi-system", "--leader-election", "off",
                "--leader-election-namespace", "kiln-system", "--lease-name", "kiln.lease",
                "--ssa", "OFF", "--metrics-port", "9090", "--health-port=9091", "--identity", "replica-a",
                "--kubeconfig", kubeconfig.toString(), "--master", "https://10.0.0.1:6443",
                "--controllers", "controlplane", "--unreachable-node-grace", "30", "--watch-filter", "team-a");
        assertEquals(new OperatorSettings(Optional.of("capi-system"), false, Optional.of("kiln-system"), "kiln.lease",
                false, 9090, 9091, "replica-a", Optional.of(kubeconfig), Optional.of("https://10.0.0.1:6443"),
                EnumSet.of(ProviderType.CONTROL_PLANE), Duration.ofSeconds(30), Optional.of("team-a")), settings);
    }

    @Test
    void environmentFillsInWhatNoFlagSets() {
        OperatorSettings settings = parse(Map.of(
                "KILN_NAMESPACE", "tenants", "KILN_LEADER_ELECTION", "off",
                "KILN_LEADER_ELECTION_NAMESPACE", "kiln-system", "KILN_LEASE_NAME", "kiln-b", "KILN_SSA", "off",
                "KILN_METRICS_PORT", "18080", "KILN_HEALTH_PORT", "18081", "KILN_IDENTITY", "from-env"));
        assertEquals(new OperatorSettings(Optional.of("tenants"), false, Optional.of("kiln-system"), "kiln-b", false,
                18080, 18081, "from-env", Optional.empty(), Optional.empty()), settings);
    }

    @Test
    void aFlagWinsOverItsEnvironmentVariable() {
        OperatorSettings settings = parse(Map.of("KILN_SSA", "off", "KILN_WATCH_NAMESPACE", "tenants"),
                "--ssa", "on", "--watch-namespace", "capi-system");
        assertTrue(settings.ssa());
        assertEquals(Optional.of("capi-system"), settings.watchNamespace());
    }

    @Test
    void watchNamespaceStillWorksAsADeprecatedAliasOfNamespace() {
        assertEquals(Optional.of("capi-system"), parse(NO_ENV, "--watch-namespace", "capi-system").watchNamespace());
        assertEquals(Optional.of("tenants"), parse(Map.of("KILN_WATCH_NAMESPACE", "tenants")).watchNamespace());
        assertEquals(Optional.of("same"), parse(NO_ENV, "--namespace", "same", "--watch-namespace", "same")
                .watchNamespace());
    }

    @Test
    void namespaceAndItsAliasNamingDifferentNamespacesAreRefused() {
        assertEquals("--namespace (a) and its deprecated alias --watch-namespace (b) name different namespaces; "
                + "give only --namespace", error(NO_ENV, "--namespace", "a", "--watch-namespace", "b"));
    }

    @Test
    void theWatchFilterBecomesTheClusterApiLabelSelector() {
        assertEquals(Optional.of("cluster.x-k8s.io/watch-filter=team-a"),
                parse(Map.of("KILN_WATCH_FILTER", "team-a")).watchFilterSelector());
        assertEquals(Optional.empty(), parse(NO_ENV).watchFilterSelector());
    }

    @Test
    void aWatchFilterThatIsNoLabelValueNamesTheFlag() {
        assertTrue(error(NO_ENV, "--watch-filter", "team a").startsWith("--watch-filter: expected a label value"));
        assertTrue(error(Map.of("KILN_WATCH_FILTER", "-x")).startsWith("KILN_WATCH_FILTER (--watch-filter): expected"));
    }

    @Test
    void everyProviderRunsByDefault() {
        assertEquals(EnumSet.allOf(ProviderType.class), parse(NO_ENV).providers());
    }

    @Test
    void controllersSelectTheProvidersThatRun() {
        assertEquals(Set.of(ProviderType.CONTROL_PLANE, ProviderType.BOOTSTRAP),
                parse(NO_ENV, "--controllers", "controlplane, bootstrap").providers());
        assertEquals(Set.of(ProviderType.INFRASTRUCTURE),
                parse(Map.of("KILN_CONTROLLERS", "infrastructure")).providers());
    }

    @Test
    void anUnknownControllerNamesTheFlag() {
        assertEquals("--controllers: expected a comma-separated list of bootstrap, controlplane, infrastructure, "
                + "got 'bootstrap,etcd'", error(NO_ENV, "--controllers", "bootstrap,etcd"));
    }

    @Test
    void aDeletedMachineWaitsTwoMinutesForAnUnreachableNodeByDefault() {
        assertEquals(Duration.ofMinutes(2), parse(NO_ENV).unreachableNodeGrace());
    }

    @Test
    void theWaitForAnUnreachableNodeIsSetInSeconds() {
        assertEquals(Duration.ofSeconds(20), parse(NO_ENV, "--unreachable-node-grace", "20").unreachableNodeGrace());
        assertEquals(Duration.ofSeconds(45),
                parse(Map.of("KILN_UNREACHABLE_NODE_GRACE", "45")).unreachableNodeGrace());
    }

    @Test
    void aWaitForAnUnreachableNodeBelowOneSecondNamesTheFlag() {
        assertEquals("--unreachable-node-grace: expected a whole number of seconds, at least 1, got '0'",
                error(NO_ENV, "--unreachable-node-grace", "0"));
    }

    @Test
    void anEmptyWatchNamespaceWatchesAllNamespaces() {
        assertTrue(parse(Map.of("KILN_WATCH_NAMESPACE", "")).watchesAllNamespaces());
    }

    @Test
    void aBadOnOffValueNamesTheFlag() {
        assertEquals("--ssa: expected on or off, got 'maybe'", error(NO_ENV, "--ssa", "maybe"));
    }

    @Test
    void aBadEnvironmentValueNamesTheVariableAndItsFlag() {
        assertEquals("KILN_LEADER_ELECTION (--leader-election): expected on or off, got 'yes'",
                error(Map.of("KILN_LEADER_ELECTION", "yes")));
    }

    @Test
    void aPortOutOfRangeNamesTheFlag() {
        assertEquals("--metrics-port: expected a port number from 0 to 65535, got '70000'",
                error(NO_ENV, "--metrics-port", "70000"));
    }

    @Test
    void aPortThatIsNoNumberNamesTheFlag() {
        assertEquals("--health-port: expected a port number from 0 to 65535, got 'http'",
                error(NO_ENV, "--health-port", "http"));
    }

    @Test
    void metricsAndHealthCannotShareAPort() {
        assertEquals("--metrics-port and --health-port must differ, both are 9000",
                error(NO_ENV, "--metrics-port", "9000", "--health-port", "9000"));
    }

    @Test
    void anInvalidNamespaceNamesTheFlag() {
        assertTrue(error(NO_ENV, "--watch-namespace", "Capi_System")
                .startsWith("--watch-namespace: expected a namespace name"));
    }

    @Test
    void anInvalidLeaseNameNamesTheFlag() {
        assertEquals("--lease-name: expected a Lease name (lowercase DNS subdomain), got 'Kiln Lease'",
                error(NO_ENV, "--lease-name", "Kiln Lease"));
    }

    @Test
    void aBlankIdentityNamesTheFlag() {
        assertEquals("--identity: expected a non-blank identity, got ' '", error(NO_ENV, "--identity", " "));
    }

    @Test
    void aMissingKubeconfigNamesTheFlag(@TempDir Path dir) {
        Path missing = dir.resolve("nope");
        assertEquals("--kubeconfig: expected a readable kubeconfig file, got '" + missing + "'",
                error(NO_ENV, "--kubeconfig", missing.toString()));
    }

    @Test
    void aMasterThatIsNoUrlNamesTheFlag() {
        assertEquals("--master: expected an http or https URL, got '10.0.0.1:6443'",
                error(NO_ENV, "--master", "10.0.0.1:6443"));
    }

    @Test
    void anUnknownFlagIsNamed() {
        assertTrue(error(NO_ENV, "--leader-elektion", "on").contains("--leader-elektion"));
    }

    @Test
    void aFlagWinsOverABadValueOfItsEnvironmentVariable() {
        assertTrue(parse(Map.of("KILN_SSA", "maybe"), "--ssa", "on").ssa());
    }

    @Test
    void helpListsEveryFlag() {
        SettingsParser.Outcome outcome = new SettingsParser(NO_ENV).parse(new String[] {"--ssa", "off", "--help"});
        String usage = assertInstanceOf(SettingsParser.Help.class, outcome).usage();
        for (String flag : new String[] {"--namespace", "--watch-namespace", "--watch-filter", "--leader-election",
                "--leader-election-namespace", "--lease-name", "--ssa", "--controllers", "--unreachable-node-grace",
                "--metrics-port", "--health-port", "--identity", "--kubeconfig", "--master"}) {
            assertTrue(usage.contains(flag), flag + " missing from usage:\n" + usage);
        }
    }

    @Test
    void helpIsShownWhateverTheEnvironmentHolds() {
        assertInstanceOf(SettingsParser.Help.class,
                new SettingsParser(Map.of("KILN_METRICS_PORT", "http")).parse(new String[] {"-h"}));
    }

    @Test
    void helpShowsTheDefaults() {
        String usage = SettingsParser.usage();
        assertTrue(usage.contains("Port of /metrics (default 8080, 0 picks one)"), usage);
        assertTrue(usage.contains("Name of the Lease (default kiln-operator)"), usage);
    }

    @Test
    void everyFlagsHelpNamesTheEnvironmentVariableItFallsBackTo() {
        CommandLine.Model.CommandSpec spec = new CommandLine(new SettingsParser.Flags()).getCommandSpec();
        for (CommandLine.Model.OptionSpec option : spec.options()) {
            SettingsParser.variable(option).ifPresent(variable -> assertTrue(
                    String.join(" ", option.description()).contains("Env: " + variable + "."),
                    option.longestName() + " does not name " + variable));
        }
    }
}
