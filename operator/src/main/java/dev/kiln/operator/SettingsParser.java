package dev.kiln.operator;

import dev.kiln.capi.ProviderType;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.TypeConversionException;

/** Reads {@link OperatorSettings} from flags with picocli, each falling back to its KILN_* variable, then defaults. */
final class SettingsParser {

    /** The environment variable an option falls back to when the command line does not give it. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    @interface Env {
        String value();
    }

    @Command(name = "kiln-operator", sortOptions = false,
            description = "Runs Kiln's Cluster API providers (bootstrap, control plane, infrastructure) as one operator.")
    static final class Flags {
        @Env("KILN_NAMESPACE")
        @Option(names = "--namespace", paramLabel = "NAMESPACE", converter = SettingConverters.Namespace.class,
                description = "Watch only this namespace; empty watches all. Env: KILN_NAMESPACE.")
        Optional<String> namespace;

        @Env("KILN_WATCH_NAMESPACE")
        @Option(names = "--watch-namespace", paramLabel = "NAMESPACE", converter = SettingConverters.Namespace.class,
                description = "Deprecated alias of --namespace, kept for one release. Env: KILN_WATCH_NAMESPACE.")
        Optional<String> watchNamespace;

        @Env("KILN_WATCH_FILTER")
        @Option(names = "--watch-filter", paramLabel = "VALUE", converter = SettingConverters.LabelValue.class,
                description = "Reconcile only objects labelled cluster.x-k8s.io/watch-filter=VALUE; empty reconciles "
                        + "all. Env: KILN_WATCH_FILTER.")
        Optional<String> watchFilter;

        @Env("KILN_LEADER_ELECTION")
        @Option(names = "--leader-election", paramLabel = "on|off", converter = SettingConverters.OnOff.class,
                defaultValue = "on",
                description = "Elect a leader through a Lease before reconciling (default ${DEFAULT-VALUE}). "
                        + "Env: KILN_LEADER_ELECTION.")
        SettingConverters.Switch leaderElection;

        @Env("KILN_LEADER_ELECTION_NAMESPACE")
        @Option(names = "--leader-election-namespace", paramLabel = "NAMESPACE",
                converter = SettingConverters.Namespace.class,
                description = "Namespace of the Lease (default: the client's namespace). "
                        + "Env: KILN_LEADER_ELECTION_NAMESPACE.")
        Optional<String> leaseNamespace;

        @Env("KILN_LEASE_NAME")
        @Option(names = "--lease-name", paramLabel = "NAME", converter = SettingConverters.LeaseName.class,
                defaultValue = OperatorSettings.DEFAULT_LEASE_NAME,
                description = "Name of the Lease (default ${DEFAULT-VALUE}). Env: KILN_LEASE_NAME.")
        String leaseName;

        @Env("KILN_SSA")
        @Option(names = "--ssa", paramLabel = "on|off", converter = SettingConverters.OnOff.class, defaultValue = "on",
                description = "Patch with server-side apply (default ${DEFAULT-VALUE}; off for fabric8's mock server). "
                        + "Env: KILN_SSA.")
        SettingConverters.Switch ssa;

        @Env("KILN_CONTROLLERS")
        @Option(names = "--controllers", paramLabel = "LIST", converter = SettingConverters.Providers.class,
                description = "Providers whose reconcilers run, comma-separated: bootstrap, controlplane, "
                        + "infrastructure (default all). Env: KILN_CONTROLLERS.")
        Optional<Set<ProviderType>> controllers;

        @Env("KILN_UNREACHABLE_NODE_GRACE")
        @Option(names = "--unreachable-node-grace", paramLabel = "SECONDS", converter = SettingConverters.Seconds.class,
                description = "How long a deleted machine waits for a node that answers nothing before its server is "
                        + "released unwiped and marked not clean (default 120). Env: KILN_UNREACHABLE_NODE_GRACE.")
        Optional<Duration> unreachableNodeGrace;

        @Env("KILN_METRICS_PORT")
        @Option(names = "--metrics-port", paramLabel = "PORT", converter = SettingConverters.Port.class,
                defaultValue = "" + OperatorSettings.DEFAULT_METRICS_PORT,
                description = "Port of /metrics (default ${DEFAULT-VALUE}, 0 picks one). Env: KILN_METRICS_PORT.")
        int metricsPort;

        @Env("KILN_HEALTH_PORT")
        @Option(names = "--health-port", paramLabel = "PORT", converter = SettingConverters.Port.class,
                defaultValue = "" + OperatorSettings.DEFAULT_HEALTH_PORT,
                description = "Port of /healthz and /readyz (default ${DEFAULT-VALUE}, 0 picks one). "
                        + "Env: KILN_HEALTH_PORT.")
        int healthPort;

        @Env("KILN_IDENTITY")
        @Option(names = "--identity", paramLabel = "ID", converter = SettingConverters.NonBlank.class,
                description = "This replica's identity (default: hostname plus a random suffix). Env: KILN_IDENTITY.")
        Optional<String> identity;

        @Option(names = "--kubeconfig", paramLabel = "FILE", converter = SettingConverters.Kubeconfig.class,
                description = "Kubeconfig file (default: fabric8's search: KUBECONFIG, ~/.kube/config, in-cluster).")
        Optional<Path> kubeconfig;

        @Option(names = "--master", paramLabel = "URL", converter = SettingConverters.WebUrl.class,
                description = "API server URL, overriding the kubeconfig's (fabric8 also reads KUBERNETES_MASTER).")
        Optional<String> masterUrl;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
        boolean help;
    }

    /** What the command line asks for. */
    sealed interface Outcome permits Run, Help {
    }

    record Run(OperatorSettings settings) implements Outcome {
    }

    record Help(String usage) implements Outcome {
    }

    private final Map<String, String> env;

    SettingsParser(Map<String, String> env) {
        this.env = env;
    }

    /** Throws {@link SettingsException} naming the flag, or the variable and its flag, whose value is bad. */
    Outcome parse(String[] args) {
        // First the command line alone: its errors name flags, and what it gives is not looked up in the environment.
        CommandLine commandLine = new CommandLine(new Flags());
        ParseResult given = parse(commandLine, args, false);
        if (commandLine.isUsageHelpRequested()) {
            return new Help(usage(commandLine));
        }
        Flags flags = new Flags();
        parse(new CommandLine(flags).setDefaultValueProvider(new EnvironmentDefaults(env, given)), args, true);
        return new Run(settings(flags));
    }

    static String usage() {
        return usage(new CommandLine(new Flags()));
    }

    private static String usage(CommandLine commandLine) {
        StringWriter out = new StringWriter();
        commandLine.usage(new PrintWriter(out));
        return out.toString();
    }

    /** @param withEnvironment whether a bad value can only have come from the environment */
    private static ParseResult parse(CommandLine commandLine, String[] args, boolean withEnvironment) {
        try {
            return commandLine.parseArgs(args);
        } catch (ParameterException e) {
            if (e.getCause() instanceof TypeConversionException bad && e.getArgSpec() instanceof OptionSpec option) {
                String flag = option.longestName();
                String origin = withEnvironment ? variable(option).map(name -> name + " (" + flag + ")").orElse(flag)
                        : flag;
                throw new SettingsException(origin + ": " + bad.getMessage());
            }
            throw new SettingsException(e.getMessage());
        }
    }

    private OperatorSettings settings(Flags flags) {
        if (flags.metricsPort == flags.healthPort && flags.metricsPort != 0) {
            throw new SettingsException("--metrics-port and --health-port must differ, both are " + flags.metricsPort);
        }
        return new OperatorSettings(watchedNamespace(flags), flags.leaderElection.on(), flags.leaseNamespace,
                flags.leaseName, flags.ssa.on(), flags.metricsPort, flags.healthPort,
                flags.identity.orElseGet(() -> Identity.generate(env)), flags.kubeconfig, flags.masterUrl,
                flags.controllers.orElse(EnumSet.allOf(ProviderType.class)),
                flags.unreachableNodeGrace.orElse(OperatorSettings.DEFAULT_UNREACHABLE_NODE_GRACE), flags.watchFilter);
    }

    /** --namespace, else its deprecated alias --watch-namespace; both given must agree. */
    private static Optional<String> watchedNamespace(Flags flags) {
        if (flags.namespace.isPresent() && flags.watchNamespace.isPresent()
                && !flags.namespace.equals(flags.watchNamespace)) {
            throw new SettingsException("--namespace (" + flags.namespace.get() + ") and its deprecated alias "
                    + "--watch-namespace (" + flags.watchNamespace.get() + ") name different namespaces; "
                    + "give only --namespace");
        }
        return flags.namespace.or(() -> flags.watchNamespace);
    }

    static Optional<String> variable(ArgSpec arg) {
        return arg.userObject() instanceof Field field && field.isAnnotationPresent(Env.class)
                ? Optional.of(field.getAnnotation(Env.class).value())
                : Optional.empty();
    }

    /** An option's variable, when set and not empty, for each option the command line does not give. */
    private record EnvironmentDefaults(Map<String, String> env, ParseResult given) implements IDefaultValueProvider {
        @Override
        public String defaultValue(ArgSpec arg) {
            if (!(arg instanceof OptionSpec option) || given.hasMatchedOption(option.longestName())) {
                return null;
            }
            String value = variable(option).map(env::get).orElse(null);
            return value == null || value.isEmpty() ? null : value;
        }
    }
}
