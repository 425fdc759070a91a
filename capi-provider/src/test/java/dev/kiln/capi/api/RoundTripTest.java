package dev.kiln.capi.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RoundTripTest {
    static Stream<Class<? extends HasMetadata>> kinds() {
        return KilnApi.KINDS.stream();
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void yamlSampleReadsIntoTheTypeAndWritesBackUnchanged(Class<? extends HasMetadata> kind) {
        String sample = Samples.text(kind);

        HasMetadata typed = Serialization.unmarshal(sample, kind);

        assertEquals(Samples.tree(sample), Samples.tree(Serialization.asYaml(typed)));
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void jsonRoundTripKeepsEveryField(Class<? extends HasMetadata> kind) {
        String sample = Samples.text(kind);
        String json = Serialization.asJson(Serialization.unmarshal(sample, kind));

        HasMetadata again = Serialization.unmarshal(json, kind);

        assertEquals(Samples.tree(sample), Samples.tree(Serialization.asJson(again)));
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void newObjectCarriesItsApiVersionAndKind(Class<? extends HasMetadata> kind) throws Exception {
        HasMetadata fresh = kind.getDeclaredConstructor().newInstance();

        assertEquals(HasMetadata.getGroup(kind) + "/v1alpha1", fresh.getApiVersion());
        assertEquals(kind.getSimpleName(), fresh.getKind());
    }
}
