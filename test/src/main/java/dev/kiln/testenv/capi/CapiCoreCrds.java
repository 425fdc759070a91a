package dev.kiln.testenv.capi;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Registers the stand-in CRDs of Cluster API core's kinds (open schemas, the real names, versions and status and
 * scale subresources), so the management API stand-in serves them as a cluster with Cluster API installed would.
 */
public final class CapiCoreCrds {

    private static final List<String> FILES = List.of("clusters", "machines", "machinesets", "machinedeployments");

    private CapiCoreCrds() {
    }

    public static void install(KubernetesClient client) {
        for (String plural : FILES) {
            String resource = "crds/" + plural + ".cluster.x-k8s.io.yaml";
            try (InputStream in = CapiCoreCrds.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("missing class-path resource " + resource);
                }
                client.apiextensions().v1().customResourceDefinitions()
                        .resource(Serialization.unmarshal(in, CustomResourceDefinition.class)).create();
            } catch (IOException e) {
                throw new UncheckedIOException("reading " + resource, e);
            }
        }
    }
}
