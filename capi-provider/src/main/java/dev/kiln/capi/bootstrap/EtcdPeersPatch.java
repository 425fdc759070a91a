package dev.kiln.capi.bootstrap;

import dev.kiln.machinery.config.ConfigParser;
import dev.kiln.machinery.config.ConfigPatchException;
import dev.kiln.machinery.config.ConfigPatcher;
import dev.kiln.machinery.config.ConfigProblem;
import dev.kiln.machinery.config.MachineConfig;
import dev.kiln.machinery.config.ParseResult;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes {@code cluster.etcd.peers} into a built control-plane config. The same config and peers always give the same
 * text, so bootstrap data written again for an unchanged input is byte for byte what it was.
 */
final class EtcdPeersPatch {

    static final String FIELD = "cluster.etcd.peers";
    private static final String POINTER = "/cluster/etcd/peers";
    // Problems at this path come from the YAML parser, whose messages quote the document, secrets included.
    private static final String YAML_PROBLEM_PATH = "(yaml)";

    private EtcdPeersPatch() {
    }

    /**
     * The config naming {@code peers}; worker configs, and control-plane configs with no peer to name, as built, so a
     * first machine's config stays as written and keeps any peers its own data names.
     */
    static BootstrapDataBuilder.Outcome apply(BootstrapDataBuilder.Outcome.Built built, List<String> peers) {
        if (!built.controlPlane() || peers.isEmpty()) {
            return built;
        }
        Map<String, Object> add = new LinkedHashMap<>();
        add.put("op", "add");
        add.put("path", POINTER);
        add.put("value", peers);
        try {
            return new BootstrapDataBuilder.Outcome.Built(
                    new ConfigPatcher().apply(built.configYaml(), List.of(Serialization.asJson(List.of(add))), List.of()),
                    true);
        } catch (ConfigPatchException e) {
            return new BootstrapDataBuilder.Outcome.Invalid(List.of(FIELD + ": cannot be set: " + describe(e.problems())));
        }
    }

    /**
     * Whether {@code stored} is {@code built} with the peers it names: a config's peers follow its siblings' servers,
     * not its spec, so they never make stored data differ from the spec.
     */
    static boolean sameApartFromPeers(BootstrapDataBuilder.Outcome.Built built, String stored) {
        if (built.configYaml().equals(stored)) {
            return true;
        }
        if (stored == null || !built.controlPlane()
                || !(new ConfigParser().parse(stored) instanceof ParseResult.Parsed parsed)) {
            return false;
        }
        return apply(built, peersOf(parsed.config())) instanceof BootstrapDataBuilder.Outcome.Built rendered
                && rendered.configYaml().equals(stored);
    }

    private static List<String> peersOf(MachineConfig config) {
        return config.cluster() == null || config.cluster().etcd() == null || config.cluster().etcd().peers() == null
                ? List.of() : config.cluster().etcd().peers();
    }

    private static String describe(List<ConfigProblem> problems) {
        return problems.stream()
                .map(p -> p.path().equals(YAML_PROBLEM_PATH) ? "not valid YAML" : p.path() + ": " + p.message())
                .distinct()
                .collect(Collectors.joining("; "));
    }
}
