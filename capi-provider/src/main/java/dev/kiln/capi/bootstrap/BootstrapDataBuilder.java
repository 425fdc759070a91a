package dev.kiln.capi.bootstrap;

import dev.kiln.capi.api.bootstrap.v1alpha1.ConfigPatch;
import dev.kiln.capi.api.bootstrap.v1alpha1.GenerateType;
import dev.kiln.capi.api.bootstrap.v1alpha1.HostnameSource;
import dev.kiln.capi.api.bootstrap.v1alpha1.KilnConfigSpec;
import dev.kiln.machinery.config.ConfigGenerator;
import dev.kiln.machinery.config.ConfigParser;
import dev.kiln.machinery.config.ConfigPatchException;
import dev.kiln.machinery.config.ConfigPatcher;
import dev.kiln.machinery.config.ConfigProblem;
import dev.kiln.machinery.config.ConfigWriter;
import dev.kiln.machinery.config.JsonPatch;
import dev.kiln.machinery.config.MachineConfig;
import dev.kiln.machinery.config.MachineType;
import dev.kiln.machinery.config.ParseResult;
import dev.kiln.machinery.config.PatchPolicy;
import dev.kiln.machinery.config.StrategicMergePatch;
import dev.kiln.machinery.pki.SecretsBundle;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a KilnConfig's spec, what it is built for (cluster, endpoint, Machine) and the cluster's secrets into one
 * machine config, or into the list of everything wrong with the spec. Pure: it reads and writes nothing.
 *
 * <p>Every problem names the spec field it comes from, e.g.
 * {@code spec.configPatches[1] (replace /machine/foo): path does not exist}. Problems never carry config values,
 * so they are safe for conditions and events. Patches that would touch secrets or etcd's security flags are refused
 * by {@link PatchPolicy} before anything is applied.
 */
public final class BootstrapDataBuilder {

    /** What the config is built for, read from the Machine and the Cluster. */
    public record Target(String clusterName, String controlPlaneEndpoint, String machineName,
            String infrastructureName) {
    }

    /** The result of {@link #build}: a config, or every reason there is none. */
    public sealed interface Outcome {

        /** A valid config; {@code controlPlane} is read from the config itself, after patches. */
        record Built(String configYaml, boolean controlPlane) implements Outcome {
        }

        /** Never empty; each entry starts with the spec field it is about. */
        record Invalid(List<String> problems) implements Outcome {
            public Invalid {
                problems = List.copyOf(problems);
                if (problems.isEmpty()) {
                    throw new IllegalArgumentException("an invalid outcome needs at least one problem");
                }
            }
        }
    }

    static final String GENERATE_TYPE_MESSAGE = "spec.generateType: must be controlplane, worker or none";
    static final String HOSTNAME_SOURCE_MESSAGE =
            "spec.hostname.source: must be MachineName, InfrastructureName or empty";

    private static final Pattern JSON_PATCH_OPERATION = Pattern.compile("^(?:jsonPatches\\[0\\] )?patch\\[(\\d+)\\]");
    private static final Pattern JSON_PATCH_DOCUMENT = Pattern.compile("^jsonPatches\\[0\\] ");
    private static final Pattern STRATEGIC_PATCH = Pattern.compile("^strategicPatches\\[(\\d+)\\] ");

    private BootstrapDataBuilder() {
    }

    /**
     * Problems visible in the spec alone, before any secret or endpoint is needed: an unknown generateType or hostname
     * source, data missing for {@code none} or given for a generated type, patch documents that cannot be read.
     */
    public static List<String> specProblems(KilnConfigSpec spec) {
        List<String> problems = new ArrayList<>();
        Optional<GenerateType> type = GenerateType.fromWireName(spec.getGenerateType());
        boolean hasData = spec.getData() != null && !spec.getData().isBlank();
        if (type.isEmpty()) {
            problems.add(GENERATE_TYPE_MESSAGE);
        } else if (type.get() == GenerateType.NONE && !hasData) {
            problems.add("spec.data: is required when spec.generateType is none");
        } else if (type.get() != GenerateType.NONE && hasData) {
            problems.add("spec.data: must be empty unless spec.generateType is none");
        }
        if (spec.getHostname() != null && spec.getHostname().getSource() != null
                && HostnameSource.fromValue(spec.getHostname().getSource()).isEmpty()) {
            problems.add(HOSTNAME_SOURCE_MESSAGE);
        }
        if (hasJsonPatches(spec)) {
            try {
                JsonPatch.parse(jsonPatchDocument(spec));
            } catch (ConfigPatchException e) {
                e.problems().forEach(p -> problems.add(named(p, "spec.configPatches")));
            }
        }
        List<String> strategic = strategicPatches(spec);
        for (int i = 0; i < strategic.size(); i++) {
            try {
                StrategicMergePatch.parse(strategic.get(i) == null ? "" : strategic.get(i));
            } catch (ConfigPatchException e) {
                for (ConfigProblem p : e.problems()) {
                    problems.add("spec.strategicPatches[" + i + "] " + p);
                }
            }
        }
        if (PatchPolicy.check("spec.configPatches", operations(spec), "spec.strategicPatches", strategic)
                instanceof PatchPolicy.Verdict.Refused refused) {
            refused.problems().forEach(p -> problems.add(p.toString()));
        }
        return problems;
    }

    private static List<PatchPolicy.JsonOperation> operations(KilnConfigSpec spec) {
        List<ConfigPatch> patches = spec.getConfigPatches() == null ? List.of() : spec.getConfigPatches();
        return patches.stream().map(p -> p == null ? new PatchPolicy.JsonOperation(null, null, null)
                : new PatchPolicy.JsonOperation(p.getOp(), p.getPath(), p.getFrom())).toList();
    }

    /** Whether the spec asks for a generated config, which needs the cluster's secrets and endpoint. */
    public static boolean generates(KilnConfigSpec spec) {
        return GenerateType.fromWireName(spec.getGenerateType()).map(t -> t != GenerateType.NONE).orElse(false);
    }

    /** Builds the config; {@code bundle} is only read for a generated type. */
    public static Outcome build(KilnConfigSpec spec, Target target, SecretsBundle bundle) {
        List<String> problems = specProblems(spec);
        if (!problems.isEmpty()) {
            return new Outcome.Invalid(problems);
        }
        GenerateType type = GenerateType.fromWireName(spec.getGenerateType()).orElseThrow();
        boolean patched = hasJsonPatches(spec) || !strategicPatches(spec).isEmpty();
        if (type == GenerateType.NONE && !patched) {
            return fromData(spec.getData());
        }
        String base;
        String baseName;
        if (type == GenerateType.NONE) {
            base = spec.getData();
            baseName = "spec.data after " + patchFields(spec);
        } else {
            Optional<String> hostname = hostname(spec, target);
            if (hostname.isEmpty()) {
                return new Outcome.Invalid(List.of("spec.hostname.source: InfrastructureName, but the Machine has no "
                        + "spec.infrastructureRef.name"));
            }
            if (target.controlPlaneEndpoint() == null || target.controlPlaneEndpoint().isBlank()) {
                return new Outcome.Invalid(List.of("Cluster spec.controlPlaneEndpoint: is not set"));
            }
            base = generated(bundle, type, target, hostname.get());
            baseName = "config after " + patchFields(spec);
        }
        try {
            String yaml = new ConfigPatcher().apply(base, patched ? List.of(jsonPatchDocument(spec)) : List.of(),
                    strategicPatches(spec));
            return new Outcome.Built(yaml, isControlPlane(yaml));
        } catch (ConfigPatchException e) {
            return new Outcome.Invalid(e.problems().stream().map(p -> named(p, baseName)).toList());
        }
    }

    /** Whether a valid config is a control-plane config; false for anything that does not parse. */
    public static boolean isControlPlane(String configYaml) {
        return new ConfigParser().parse(configYaml) instanceof ParseResult.Parsed parsed
                && parsed.config().machine().isControlPlane();
    }

    private static Outcome fromData(String data) {
        ParseResult result = new ConfigParser().parse(data);
        if (result instanceof ParseResult.Invalid invalid) {
            return new Outcome.Invalid(invalid.problems().stream().map(p -> "spec.data: " + p).toList());
        }
        // Taken as is: the user's own text, comments and layout included, is what the machine gets.
        return new Outcome.Built(data, ((ParseResult.Parsed) result).config().machine().isControlPlane());
    }

    private static String generated(SecretsBundle bundle, GenerateType type, Target target, String hostname) {
        MachineType machineType = type == GenerateType.CONTROLPLANE ? MachineType.CONTROLPLANE : MachineType.WORKER;
        ConfigGenerator.Options options = ConfigGenerator.Options
                .of(target.clusterName(), target.controlPlaneEndpoint())
                .withHostname(hostname.isEmpty() ? null : hostname);
        MachineConfig config = ConfigGenerator.generate(bundle, machineType, options);
        return new ConfigWriter().write(config);
    }

    /** The hostname to set, "" for none, or empty when the source names something the Machine lacks. */
    private static Optional<String> hostname(KilnConfigSpec spec, Target target) {
        String source = spec.getHostname() == null ? null : spec.getHostname().getSource();
        HostnameSource chosen = source == null
                ? HostnameSource.MACHINE_NAME : HostnameSource.fromValue(source).orElseThrow();
        return switch (chosen) {
            case NONE -> Optional.of("");
            case MACHINE_NAME -> Optional.of(target.machineName());
            case INFRASTRUCTURE_NAME -> Optional.ofNullable(target.infrastructureName()).filter(n -> !n.isBlank());
        };
    }

    private static boolean hasJsonPatches(KilnConfigSpec spec) {
        return spec.getConfigPatches() != null && !spec.getConfigPatches().isEmpty();
    }

    private static List<String> strategicPatches(KilnConfigSpec spec) {
        return spec.getStrategicPatches() == null ? List.of() : spec.getStrategicPatches();
    }

    // All of spec.configPatches form one RFC 6902 document, so problems come back as patch[i], i = index in the spec.
    private static String jsonPatchDocument(KilnConfigSpec spec) {
        List<ConfigPatch> patches = spec.getConfigPatches() == null ? List.of() : spec.getConfigPatches();
        return Serialization.asJson(patches);
    }

    private static String patchFields(KilnConfigSpec spec) {
        List<String> fields = new ArrayList<>();
        if (hasJsonPatches(spec)) {
            fields.add("spec.configPatches");
        }
        if (!strategicPatches(spec).isEmpty()) {
            fields.add("spec.strategicPatches");
        }
        return String.join(" and ", fields);
    }

    /** Renames machinery's document names to spec fields; anything else is about {@code baseName}. */
    private static String named(ConfigProblem problem, String baseName) {
        String path = problem.path();
        Matcher operation = JSON_PATCH_OPERATION.matcher(path);
        if (operation.find()) {
            return "spec.configPatches[" + operation.group(1) + "]" + path.substring(operation.end()) + ": "
                    + problem.message();
        }
        Matcher document = JSON_PATCH_DOCUMENT.matcher(path);
        if (document.find()) {
            return "spec.configPatches " + path.substring(document.end()) + ": " + problem.message();
        }
        Matcher strategic = STRATEGIC_PATCH.matcher(path);
        if (strategic.find()) {
            return "spec.strategicPatches[" + strategic.group(1) + "] " + path.substring(strategic.end()) + ": "
                    + problem.message();
        }
        return baseName + ": " + problem;
    }
}
