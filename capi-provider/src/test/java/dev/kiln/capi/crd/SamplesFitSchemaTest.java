package dev.kiln.capi.crd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.capi.api.KilnApi;
import dev.kiln.capi.api.Samples;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * No API server can run here, so this walks each sample manifest through its CRD schema: every field must be
 * declared, of the declared type, and within its enum. It catches a Java field the schema lost, or the reverse.
 */
class SamplesFitSchemaTest {

    static Stream<Class<? extends HasMetadata>> kinds() {
        return KilnApi.KINDS.stream();
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void sampleUsesOnlyDeclaredFieldsTypesAndValues(Class<? extends HasMetadata> kind) {
        assertEquals(List.of(), SchemaFit.problems(Samples.tree(Samples.text(kind)), kind));
    }
}
