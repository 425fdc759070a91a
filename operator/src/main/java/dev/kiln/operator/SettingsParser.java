package dev.kiln.operator;

import dev.kiln.capi.ProviderType;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Reads {@link OperatorSettings} from flags, falling back to KILN_* environment variables, then defaults. */
final class SettingsParser {

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern LABEL_VALUE = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
    private static final Pattern DNS_SUBDOMAIN =
            Pattern.compile("(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    @Command(name = "kiln-operator", sortOptions = false,
            description = "Runs Kiln's Cluster API providers (bootstrap, control plane, infrastructure) as one operator.")
    static final class Flags {
        @Option(names = "--namespace", paramLabel = "NAMESPACE",
                description = "Watch only this namespace; empty watches all. Env: KILN_NAMESPACE.")
        String namespace;

        @Option(names = "--watch-namespace", paramLabel = "NAMESPACE",
                description = "Deprecated alias of --namespace, kept for one release. Env: KILN_WATCH_NAMESPACE.")
        String watchNamespace;

        @Option(names = "--watch-filter", paramLabel = "VALUE",
                description = "Reconcile only objects labelled cluster.x-k8s.io/watch-filter=VALUE; empty reconciles "
                        + "all. Env: KILN_WATCH_FILTER.")
        String watchFilter;

        @Option(names = "--leader-election", paramLabel = "on|off",
                description = "Elect a leader through a Lease before reconciling (default on). Env: KILN_LEADER_ELECTION.")
        String leaderElection;

        @Option(names = "--leader-election-namespace", paramLabel = "NAMESPACE",
                description = "Namespace of the Lease (default: the client's namespace). "
                        + "Env: KILN_LEADER_ELECTION_NAMESPACE.")
        String leaseNamespace;

        @Option(names = "--lease-name", paramLabel = "NAME",
                description = "Name of the Lease (default kiln-operator). Env: KILN_LEASE_NAME.")
        String leaseName;

        @Option(names = "--ssa", paramLabel = "on|off",
                description = "Patch with server-side apply (default on; off for fabric8's mock server). Env: KILN_SSA.")
        String ssa;

        @Option(names = "--controllers", paramLabel = "LIST",
                description = "Providers whose reconcilers run, comma-separated: bootstrap, controlplane, "
                        + "infrastructure (default all). Env: KILN_CONTROLLERS.")
        String controllers;

        @Option(names = "--unreachable-node-grace", paramLabel = "SECONDS",
                description = "How long a deleted machine waits for a node that answers nothing before its server is "
                        + "released unwiped and marked not clean (default 120). Env: KILN_UNREACHABLE_NODE_GRACE.")
        String unreachableNodeGrace;

        @Option(names = "--metrics-port", paramLabel = "PORT",
                description = "Port of /metrics (default 8080, 0 picks one). Env: KILN_METRICS_PORT.")
        String metricsPort;

        @Option(names = "--health-port", paramLabel = "PORT",
                description = "Port of /healthz and /readyz (default 8081, 0 picks one). Env: KILN_HEALTH_PORT.")
        String healthPort;

        @Option(names = "--identity", paramLabel = "ID",
                description = "This replica's identity (default: hostname plus a random suffix). Env: KILN_IDENTITY.")
        String identity;

        @Option(names = "--kubeconfig", paramLabel = "FILE",
                description = "Kubeconfig file (default: fabric8's search: KUBECONFIG, ~/.kube/config, in-cluster).")
        String kubeconfig;

        @Option(names = "--master", paramLabel = "URL",
                description = "API server URL, overriding the kubeconfig's (fabric8 also reads KUBERNETES_MASTER).")
        String masterUrl;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
        boolean help;
    }

    /** Where a raw value came from, so an error can name it the way the user wrote it. */
    private record Raw(String text, String origin) {
    }

    private final Map<String, String> env;

    SettingsParser(Map<String, String> env) {
        this.env = env;
    }

    static boolean wantsHelp(String[] args) {
        return Arrays.stream(args).anyMatch(arg -> arg.equals("-h") || arg.equals("--help"));
    }

    static String usage() {
        StringWriter out = new StringWriter();
        new CommandLine(new Flags()).usage(new PrintWriter(out));
        return out.toString();
    }

    OperatorSettings parse(String[] args) {
        Flags flags = new Flags();
        try {
            new CommandLine(flags).parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            throw new SettingsException(e.getMessage());
        }
        int metricsPort = raw(flags.metricsPort, "--metrics-port", "KILN_METRICS_PORT")
                .map(SettingsParser::port).orElse(OperatorSettings.DEFAULT_METRICS_PORT);
        int healthPort = raw(flags.healthPort, "--health-port", "KILN_HEALTH_PORT")
                .map(SettingsParser::port).orElse(OperatorSettings.DEFAULT_HEALTH_PORT);
        if (metricsPort == healthPort && metricsPort != 0) {
            throw new SettingsException("--metrics-port and --health-port must differ, both are " + metricsPort);
        }
        return new OperatorSettings(
                watchedNamespace(flags),
                raw(flags.leaderElection, "--leader-election", "KILN_LEADER_ELECTION")
                        .map(SettingsParser::onOff).orElse(true),
                raw(flags.leaseNamespace, "--leader-election-namespace", "KILN_LEADER_ELECTION_NAMESPACE")
                        .map(SettingsParser::namespace),
                raw(flags.leaseName, "--lease-name", "KILN_LEASE_NAME")
                        .map(SettingsParser::leaseName).orElse(OperatorSettings.DEFAULT_LEASE_NAME),
                raw(flags.ssa, "--ssa", "KILN_SSA").map(SettingsParser::onOff).orElse(true),
                metricsPort,
                healthPort,
                raw(flags.identity, "--identity", "KILN_IDENTITY")
                        .map(SettingsParser::identity).orElseGet(() -> Identity.generate(env)),
                raw(flags.kubeconfig, "--kubeconfig", null).map(SettingsParser::kubeconfig),
                raw(flags.masterUrl, "--master", null).map(SettingsParser::masterUrl),
                raw(flags.controllers, "--controllers", "KILN_CONTROLLERS")
                        .map(SettingsParser::providers).orElse(EnumSet.allOf(ProviderType.class)),
                raw(flags.unreachableNodeGrace, "--unreachable-node-grace", "KILN_UNREACHABLE_NODE_GRACE")
                        .map(SettingsParser::seconds).orElse(OperatorSettings.DEFAULT_UNREACHABLE_NODE_GRACE),
                raw(flags.watchFilter, "--watch-filter", "KILN_WATCH_FILTER").map(SettingsParser::labelValue));
    }

    /** --namespace, else its deprecated alias --watch-namespace; both given must agree. */
    private Optional<String> watchedNamespace(Flags flags) {
        Optional<String> current = raw(flags.namespace, "--namespace", "KILN_NAMESPACE").map(SettingsParser::namespace);
        Optional<String> deprecated = raw(flags.watchNamespace, "--watch-namespace", "KILN_WATCH_NAMESPACE")
                .map(SettingsParser::namespace);
        if (current.isPresent() && deprecated.isPresent() && !current.equals(deprecated)) {
            throw new SettingsException("--namespace (" + current.get() + ") and its deprecated alias "
                    + "--watch-namespace (" + deprecated.get() + ") name different namespaces; give only --namespace");
        }
        return current.or(() -> deprecated);
    }

    private static Duration seconds(Raw raw) {
        return check(raw, "a whole number of seconds, at least 1", text -> {
            long seconds = Long.parseLong(text);
            return seconds >= 1 ? Duration.ofSeconds(seconds) : null;
        });
    }

    /** The flag's value if given, else the environment variable's if set and not empty. */
    private Optional<Raw> raw(String flagValue, String flag, String envName) {
        if (flagValue != null) {
            return Optional.of(new Raw(flagValue, flag));
        }
        if (envName == null) {
            return Optional.empty();
        }
        String fromEnv = env.get(envName);
        return fromEnv == null || fromEnv.isEmpty()
                ? Optional.empty()
                : Optional.of(new Raw(fromEnv, envName + " (" + flag + ")"));
    }

    private static <T> T check(Raw raw, String expected, Function<String, T> convert) {
        T value;
        try {
            value = convert.apply(raw.text().trim());
        } catch (RuntimeException e) {
            value = null;
        }
        if (value == null) {
            throw new SettingsException(raw.origin() + ": expected " + expected + ", got '" + raw.text() + "'");
        }
        return value;
    }

    private static boolean onOff(Raw raw) {
        return check(raw, "on or off", text -> switch (text.toLowerCase(Locale.ROOT)) {
            case "on" -> Boolean.TRUE;
            case "off" -> Boolean.FALSE;
            default -> null;
        });
    }

    private static Set<ProviderType> providers(Raw raw) {
        String expected = "a comma-separated list of "
                + Arrays.stream(ProviderType.values()).map(ProviderType::flagName).collect(Collectors.joining(", "));
        return check(raw, expected, text -> {
            Set<ProviderType> providers = EnumSet.noneOf(ProviderType.class);
            for (String name : text.split(",", -1)) {
                Optional<ProviderType> provider = ProviderType.byFlagName(name.trim());
                if (provider.isEmpty()) {
                    return null;
                }
                providers.add(provider.get());
            }
            return providers;
        });
    }

    private static int port(Raw raw) {
        return check(raw, "a port number from 0 to 65535", text -> {
            int port = Integer.parseInt(text);
            return port >= 0 && port <= 65535 ? port : null;
        });
    }

    private static String namespace(Raw raw) {
        return check(raw, "a namespace name (lowercase letters, digits and '-', at most 63)",
                text -> DNS_LABEL.matcher(text).matches() ? text : null);
    }

    private static String labelValue(Raw raw) {
        return check(raw, "a label value (at most 63 letters, digits, '-', '_' or '.', starting and ending with a "
                + "letter or digit)", text -> LABEL_VALUE.matcher(text).matches() ? text : null);
    }

    private static String leaseName(Raw raw) {
        return check(raw, "a Lease name (lowercase DNS subdomain)",
                text -> DNS_SUBDOMAIN.matcher(text).matches() ? text : null);
    }

    private static String identity(Raw raw) {
        return check(raw, "a non-blank identity", text -> text.isEmpty() ? null : text);
    }

    private static Path kubeconfig(Raw raw) {
        return check(raw, "a readable kubeconfig file", text -> {
            Path path = Path.of(text);
            return Files.isRegularFile(path) && Files.isReadable(path) ? path : null;
        });
    }

    private static String masterUrl(Raw raw) {
        return check(raw, "an http or https URL", text -> {
            try {
                URI uri = new URI(text);
                boolean web = "https".equals(uri.getScheme()) || "http".equals(uri.getScheme());
                return web && uri.getHost() != null ? text : null;
            } catch (URISyntaxException e) {
                return null;
            }
        });
    }
}
