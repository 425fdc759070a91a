package dev.kiln.testenv.kstatus;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.jse.JsePlatform;

/**
 * Runs one of the Argo CD health scripts of docs/argocd on an object, as Argo CD does: the object as the global
 * table {@code obj}, the script's returned table giving {@code status} and {@code message}.
 */
public final class ArgoHealth {

    public static final Path SCRIPTS = Path.of("..", "docs", "argocd").toAbsolutePath().normalize();

    public record Health(String status, String message) {
    }

    private final String kind;
    private final String script;

    private ArgoHealth(String kind, String script) {
        this.kind = kind;
        this.script = script;
    }

    /** @param fileName {@code <group>_<Kind>.lua}, the key Argo CD's argocd-cm uses after {@code health.} */
    public static ArgoHealth load(String fileName) {
        try {
            return new ArgoHealth(fileName.substring(fileName.indexOf('_') + 1, fileName.length() - ".lua".length()),
                    Files.readString(SCRIPTS.resolve(fileName)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The script of a kind, by the kind's name alone. */
    public static ArgoHealth forKind(String kind) {
        try (var files = Files.list(SCRIPTS)) {
            return load(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith("_" + kind + ".lua"))
                    .findFirst().orElseThrow(() -> new IllegalArgumentException("no script for " + kind)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String kind() {
        return kind;
    }

    public Health of(GenericKubernetesResource resource) {
        Globals globals = JsePlatform.standardGlobals();
        globals.set("obj", lua(Serialization.jsonMapper().convertValue(resource, Map.class)));
        LuaValue result = globals.load(script, kind).call();
        return new Health(result.get("status").tojstring(), result.get("message").tojstring());
    }

    private static LuaValue lua(Object value) {
        if (value == null) {
            return LuaValue.NIL;
        }
        if (value instanceof Map<?, ?> map) {
            LuaTable table = new LuaTable();
            map.forEach((k, v) -> table.set(k.toString(), lua(v)));
            return table;
        }
        if (value instanceof List<?> list) {
            LuaTable table = new LuaTable();
            for (int i = 0; i < list.size(); i++) {
                table.set(i + 1, lua(list.get(i)));
            }
            return table;
        }
        if (value instanceof Number number) {
            return LuaValue.valueOf(number.doubleValue());
        }
        if (value instanceof Boolean bool) {
            return LuaValue.valueOf(bool);
        }
        return LuaValue.valueOf(value.toString());
    }
}
