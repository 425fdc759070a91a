package dev.kiln.capi.api.bootstrap.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.generator.annotation.Required;

/** One RFC 6902 operation applied to the generated machine config. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ConfigPatch {
  @Required private PatchOp op;
  @Required private String path;
  private JsonNode value;
  private String from;

  public ConfigPatch() {}

  public ConfigPatch(PatchOp op, String path, JsonNode value) {
    this.op = op;
    this.path = path;
    this.value = value;
  }

  public PatchOp getOp() { return op; }
  public void setOp(PatchOp op) { this.op = op; }
  public String getPath() { return path; }
  public void setPath(String path) { this.path = path; }
  public JsonNode getValue() { return value; }
  public void setValue(JsonNode value) { this.value = value; }
  public String getFrom() { return from; }
  public void setFrom(String from) { this.from = from; }
}
