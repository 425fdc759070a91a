package dev.kiln.testenv;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Applies YAML manifests (several documents a file) as kubectl create would. Kinds are addressed by group, version
 * and lower-case plural of the kind, because the mock server has no discovery to look them up.
 */
public final class Manifests {

    private Manifests() {
    }

    /** Creates every object of every {@code .yaml} file in {@code dir}, files in name order; returns them. */
    public static List<HasMetadata> createAll(KubernetesClient client, Path dir) {
        List<HasMetadata> created = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                created.addAll(create(client, file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + dir, e);
        }
        return created;
    }

    public static List<HasMetadata> create(KubernetesClient client, Path file) {
        List<HasMetadata> created = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            for (HasMetadata item : client.load(in).items()) {
                GenericKubernetesResource generic = client.getKubernetesSerialization()
                        .convertValue(item, GenericKubernetesResource.class);
                String namespace = generic.getMetadata().getNamespace() == null ? "default"
                        : generic.getMetadata().getNamespace();
                created.add(client.genericKubernetesResources(context(generic)).inNamespace(namespace)
                        .resource(generic).create());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file, e);
        }
        return created;
    }

    private static ResourceDefinitionContext context(GenericKubernetesResource resource) {
        String apiVersion = resource.getApiVersion();
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        String version = apiVersion.substring(slash + 1);
        return new ResourceDefinitionContext.Builder().withGroup(group).withVersion(version)
                .withKind(resource.getKind()).withPlural(resource.getKind().toLowerCase(Locale.ROOT) + "s")
                .withNamespaced(true).build();
    }
}
