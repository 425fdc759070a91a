package dev.kiln.capi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.capi.backup.KilnEtcdBackupReconciler;
import dev.kiln.capi.bootstrap.KilnConfigReconciler;
import dev.kiln.capi.cluster.KilnMetrics;
import dev.kiln.capi.cluster.ReconcilerDependencies;
import dev.kiln.capi.controlplane.KilnControlPlaneReconciler;
import dev.kiln.capi.etcd.ClusterEtcdReconciler;
import dev.kiln.capi.infrastructure.KilnClusterReconciler;
import dev.kiln.capi.infrastructure.KilnMachineReconciler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class KilnReconcilersTest {

    private final KubernetesClient client = new KubernetesClientBuilder().build();
    private final ReconcilerDependencies deps = new ReconcilerDependencies(client, (address, creds) -> {
        throw new UnsupportedOperationException();
    }, KilnMetrics.NONE, "probe", Clock.systemUTC());

    @AfterEach
    void closeClient() {
        client.close();
    }

    private List<Class<?>> kinds(Set<ProviderType> providers) {
        return KilnReconcilers.create(deps, providers).stream().<Class<?>>map(Object::getClass).toList();
    }

    @Test
    void infrastructureRunsTheKilnClusterAndKilnMachineReconcilers() {
        assertEquals(List.of(KilnClusterReconciler.class, KilnMachineReconciler.class),
                kinds(EnumSet.of(ProviderType.INFRASTRUCTURE)));
    }

    @Test
    void bootstrapRunsTheKilnConfigReconciler() {
        assertEquals(List.of(KilnConfigReconciler.class), kinds(EnumSet.of(ProviderType.BOOTSTRAP)));
    }

    @Test
    void controlPlaneRunsTheEtcdKilnControlPlaneAndBackupReconcilers() {
        assertEquals(List.of(ClusterEtcdReconciler.class, KilnControlPlaneReconciler.class,
                KilnEtcdBackupReconciler.class),
                kinds(EnumSet.of(ProviderType.CONTROL_PLANE)));
    }

    @Test
    void allProvidersTogetherRunEveryReconcilerOnce() {
        assertEquals(6, kinds(EnumSet.allOf(ProviderType.class)).size());
        assertEquals(kinds(EnumSet.allOf(ProviderType.class)), KilnReconcilers.create(deps).stream()
                .<Class<?>>map(Object::getClass).toList());
    }
}
