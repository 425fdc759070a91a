package dev.kiln.capi.api.bootstrap.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * One RFC 6902 operation applied to the generated machine config. {@code op} is a string so that a value outside
 * {@link PatchOp} (which the schema refuses, but an old or unvalidated object may hold) still reads and is reported
 * by the reconciler instead of making the whole object unreadable.
 */
// The same rules as JsonPatch.parse, which reads the operations again before applying them.
@ValidationRule(value = "!(self.op in ['move', 'copy']) || has(self.from)",
        message = "from is required when op is move or copy", fieldPath = ".from", reason = "FieldValueRequired")
@ValidationRule(value = "!(self.op in ['move', 'copy']) || !has(self.from) || self.from == ''"
        + " || self.from.startsWith('/')",
        message = "from must be a JSON pointer: empty or starting with '/'", fieldPath = ".from")
@ValidationRule(value = "!(self.op in ['add', 'replace', 'test']) || has(self.value)",
        message = "value is required when op is add, replace or test", fieldPath = ".value",
        reason = "FieldValueRequired")
@ValidationRule(value = "self.path == '' || self.path.startsWith('/')",
        message = "path must be a JSON pointer: empty or starting with '/'", fieldPath = ".path")
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
