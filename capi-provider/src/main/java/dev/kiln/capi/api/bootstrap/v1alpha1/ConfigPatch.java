package dev.kiln.capi.api.bootstrap.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Required;

/**
 * One RFC 6902 operation applied to the generated machine config. {@code op} is a string so that a value outside
 * {@link PatchOp} (which the schema refuses, but an old or unvalidated object may hold) still reads and is reported
 * by the reconciler instead of making the whole object unreadable.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ConfigPatch {
    @Required @SchemaFrom(type = PatchOp.class) private String op;
    @Required private String path;
    private JsonNode value;
    private String from;

    public ConfigPatch() {}

    public ConfigPatch(PatchOp op, String path, JsonNode value) {
        this.op = op.wireName();
        this.path = path;
        this.value = value;
    }

    public String getOp() { return op; }
    public void setOp(String op) { this.op = op; }
    public String getPath() { return path; }
    public void setPath(String path) { this.path = path; }
    public JsonNode getValue() { return value; }
    public void setValue(JsonNode value) { this.value = value; }
    public String getFrom() { return from; }
    public void setFrom(String from) { this.from = from; }
}
