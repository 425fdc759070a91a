package dev.kiln.capi.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.kiln.capi.api.bootstrap.v1alpha1.KilnConfig;
import dev.kiln.machinery.pki.SecretsBundle;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RenderedConfigsTest {

    private static final SecretsBundle BUNDLE = SecretsBundle.generate();
    private static final BootstrapDataBuilder.Target TARGET = new BootstrapDataBuilder.Target("demo",
            "https://demo.example:6443", "demo-cp-0", "demo-cp-0");

    private final RenderedConfigs rendered = new RenderedConfigs();
    private final AtomicInteger renders = new AtomicInteger();

    @Test
    void aConfigIsRenderedOnceForOneVersionTargetAndBundle() {
        var first = render(config("7"), TARGET, BUNDLE);
        var second = render(config("7"), TARGET, BUNDLE);

        assertSame(first, second);
        assertEquals(1, renders.get());
    }

    @Test
    void aNewResourceVersionOfTheKilnConfigRendersAgain() {
        render(config("7"), TARGET, BUNDLE);
        render(config("8"), TARGET, BUNDLE);

        assertEquals(2, renders.get());
    }

    @Test
    void anotherTargetRendersAgain() {
        render(config("7"), TARGET, BUNDLE);
        render(config("7"), new BootstrapDataBuilder.Target("demo", "https://moved.example:6443", "demo-cp-0",
                "demo-cp-0"), BUNDLE);

        assertEquals(2, renders.get());
    }

    @Test
    void anotherBundleObjectRendersAgainEvenWhenEqual() {
        render(config("7"), TARGET, BUNDLE);
        render(config("7"), TARGET, SecretsBundle.fromYaml(BUNDLE.toYaml()));

        assertEquals(2, renders.get());
    }

    @Test
    void aKilnConfigNotYetStoredIsRenderedEveryTime() {
        KilnConfig unsaved = new KilnConfig();
        unsaved.setMetadata(new ObjectMetaBuilder().withName("demo-cp-0").build());

        render(unsaved, TARGET, BUNDLE);
        render(unsaved, TARGET, BUNDLE);

        assertEquals(2, renders.get());
    }

    private BootstrapDataBuilder.Outcome render(KilnConfig config, BootstrapDataBuilder.Target target,
            SecretsBundle bundle) {
        return rendered.render(config, target, bundle, () -> {
            renders.incrementAndGet();
            return new BootstrapDataBuilder.Outcome.Built("machine: {}\n", false);
        });
    }

    private static KilnConfig config(String resourceVersion) {
        KilnConfig config = new KilnConfig();
        config.setMetadata(new ObjectMetaBuilder().withName("demo-cp-0").withNamespace("default").withUid("u-1")
                .withResourceVersion(resourceVersion).build());
        return config;
    }
}
