package dev.kiln.capi.api.bootstrap.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** What machine config to produce for one machine. */
// The same rules as BootstrapDataBuilder.specProblems; blank data counts as none there too.
@ValidationRule(value = "!has(self.generateType) || self.generateType != 'none'"
        + " || (has(self.data) && self.data.trim() != '')",
        message = "data is required when generateType is none", fieldPath = ".data", reason = "FieldValueRequired")
@ValidationRule(value = "!has(self.data) || self.data.trim() == ''"
        + " || (has(self.generateType) && self.generateType == 'none')",
        message = "data must be empty unless generateType is none", fieldPath = ".data", reason = "FieldValueForbidden")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KilnConfigSpec {
    /**
     * One of {@link GenerateType}'s spellings. A string rather than the enum so that an unknown value (which the schema
     * refuses, but an old or unvalidated object may hold) still reads and is reported as a condition.
     */
    @SchemaFrom(type = GenerateType.class) private String generateType;
    private String data;
    /** Bounded so that the API server can price the CEL rules that run on each patch. */
    @Size(max = 256) private List<ConfigPatch> configPatches;
    /** Each entry is one YAML document merged into the config. */
    private List<String> strategicPatches;
    private Hostname hostname;

    public String getGenerateType() { return generateType; }
    public void setGenerateType(String generateType) { this.generateType = generateType; }
    public String getData() { return data; }
    public void setData(String data) { this.data = data; }
    public List<ConfigPatch> getConfigPatches() { return configPatches; }
    public void setConfigPatches(List<ConfigPatch> configPatches) { this.configPatches = configPatches; }
    public List<String> getStrategicPatches() { return strategicPatches; }
    public void setStrategicPatches(List<String> strategicPatches) { this.strategicPatches = strategicPatches; }
    public Hostname getHostname() { return hostname; }
    public void setHostname(Hostname hostname) { this.hostname = hostname; }
}
