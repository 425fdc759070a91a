package dev.kiln.kilnctl.output;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import com.google.gson.JsonStreamParser;
import dev.kiln.kilnctl.output.NodeMessages.NodeMessage;
import dev.kiln.machinery.api.machine.EtcdMember;
import dev.kiln.machinery.api.machine.EtcdMembers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

class NodeMessagesTest {

    private static final List<NodeMessage> TWO_NODES = List.of(
            new NodeMessage("127.0.86.1:50000", members(0xfedcba9876543210L, "cp-1")),
            new NodeMessage("127.0.86.2:50000", members(0x12L, "cp-2")));

    private static EtcdMembers members(long id, String hostname) {
        return EtcdMembers.newBuilder().addMembers(EtcdMember.newBuilder().setId(id).setHostname(hostname)
                .addPeerUrls("https://127.0.86.1:2380").setIsLearner(false)).build();
    }

    @Test
    void jsonIsOneDocumentPerNodeLedByTheNodeInProtobufsMapping() {
        List<JsonObject> documents = new ArrayList<>();
        new JsonStreamParser(NodeMessages.json(TWO_NODES)).forEachRemaining(e -> documents.add(e.getAsJsonObject()));
        assertEquals(2, documents.size());
        JsonObject first = documents.get(0);
        assertEquals("node", first.keySet().iterator().next());
        assertEquals("127.0.86.1:50000", first.get("node").getAsString());
        JsonObject member = first.getAsJsonArray("members").get(0).getAsJsonObject();
        // protobuf's JSON mapping writes 64-bit integers as decimal strings, unsigned
        assertEquals(Long.toUnsignedString(0xfedcba9876543210L), member.get("id").getAsString());
        assertEquals(List.of("https://127.0.86.1:2380"),
                List.of(member.getAsJsonArray("peerUrls").get(0).getAsString()));
        assertEquals("cp-2", documents.get(1).getAsJsonArray("members").get(0).getAsJsonObject()
                .get("hostname").getAsString());
    }

    @Test
    void yamlIsOneDocumentPerNodeWithTheSameFields() {
        List<Object> documents = new ArrayList<>();
        new Yaml().loadAll(NodeMessages.yaml(TWO_NODES)).forEach(documents::add);
        assertEquals(2, documents.size());
        Map<?, ?> second = (Map<?, ?>) documents.get(1);
        assertEquals("127.0.86.2:50000", second.get("node"));
        Map<?, ?> member = (Map<?, ?>) ((List<?>) second.get("members")).get(0);
        assertEquals("18", member.get("id"));
        assertEquals("cp-2", member.get("hostname"));
    }

    @Test
    void jsonOfNoNodesIsEmpty() {
        assertEquals("", NodeMessages.json(List.of()));
    }
}
