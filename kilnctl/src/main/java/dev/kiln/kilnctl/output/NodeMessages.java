package dev.kiln.kilnctl.output;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Each node's machine API message in protobuf's JSON mapping, with a leading {@code node} field naming the node it
 * came from: one JSON document per node, or one YAML document per node separated by {@code ---}.
 */
public final class NodeMessages {

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    private NodeMessages() {
    }

    /** A node and what it answered. */
    public record NodeMessage(String node, Message message) {
    }

    public static String json(List<NodeMessage> messages) {
        StringBuilder out = new StringBuilder();
        for (NodeMessage message : messages) {
            out.append(GSON.toJson(tree(message))).append('\n');
        }
        return out.toString();
    }

    public static String yaml(List<NodeMessage> messages) {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        Yaml yaml = new Yaml(options);
        StringBuilder out = new StringBuilder();
        for (NodeMessage message : messages) {
            out.append("---\n").append(yaml.dump(plain(tree(message))));
        }
        return out.toString();
    }

    /** Gson's tree as maps, lists and scalars, keeping whole numbers whole for YAML. */
    private static Object plain(JsonElement element) {
        if (element.isJsonObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            element.getAsJsonObject().entrySet().forEach(field -> map.put(field.getKey(), plain(field.getValue())));
            return map;
        }
        if (element.isJsonArray()) {
            List<Object> list = new ArrayList<>();
            element.getAsJsonArray().forEach(item -> list.add(plain(item)));
            return list;
        }
        if (element.isJsonNull()) {
            return null;
        }
        JsonPrimitive primitive = element.getAsJsonPrimitive();
        if (primitive.isBoolean()) {
            return primitive.getAsBoolean();
        }
        if (primitive.isNumber()) {
            BigDecimal number = primitive.getAsBigDecimal();
            return number.stripTrailingZeros().scale() <= 0 ? number.toBigIntegerExact() : number.doubleValue();
        }
        return primitive.getAsString();
    }

    private static JsonObject tree(NodeMessage message) {
        JsonObject withNode = new JsonObject();
        withNode.addProperty("node", message.node());
        String json;
        try {
            json = JsonFormat.printer().print(message.message());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("cannot print " + message.message().getDescriptorForType().getFullName()
                    + " as JSON: " + e.getMessage(), e);
        }
        for (Map.Entry<String, JsonElement> field : JsonParser.parseString(json).getAsJsonObject().entrySet()) {
            withNode.add(field.getKey(), field.getValue());
        }
        return withNode;
    }
}
