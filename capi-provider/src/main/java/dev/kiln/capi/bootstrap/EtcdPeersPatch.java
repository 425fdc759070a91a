package dev.kiln.capi.bootstrap;

import dev.kiln.machinery.config.ConfigPatchException;
import dev.kiln.machinery.config.ConfigPatcher;
import dev.kiln.machinery.config.ConfigProblem;
import dev.kiln.machinery.yaml.YamlText;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.error.YAMLException;

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
        if (stored == null || !built.controlPlane()) {
            return false;
        }
        Optional<List<String>> peers = peersOf(stored);
        return peers.isPresent() && apply(built, peers.get()) instanceof BootstrapDataBuilder.Outcome.Built rendered
                && rendered.configYaml().equals(stored);
    }

    /**
     * The peers {@code stored} names, read from its YAML tree alone: this runs on every pass of a written control-plane
     * config, and the comparison that follows rejects anything but a config this class rendered. Empty when unreadable.
     */
    private static Optional<List<String>> peersOf(String stored) {
        Object tree;
        try {
            tree = YamlText.load(stored);
        } catch (YAMLException e) {
            return Optional.empty();
        }
        Object peers = child(child(tree, "cluster"), "etcd") instanceof Map<?, ?> etcd ? etcd.get("peers") : null;
        if (peers == null) {
            return Optional.of(List.of());
        }
        if (!(peers instanceof List<?> list) || !list.stream().allMatch(String.class::isInstance)) {
            return Optional.empty();
        }
        return Optional.of(list.stream().map(String.class::cast).toList());
    }

    private static Object child(Object tree, String key) {
        return tree instanceof Map<?, ?> map ? map.get(key) : null;
    }

    private static String describe(List<ConfigProblem> problems) {
        return problems.stream()
                .map(p -> p.path().equals(YAML_PROBLEM_PATH) ? "not valid YAML" : p.path() + ": " + p.message())
                .distinct()
                .collect(Collectors.joining("; "));
    }
}
