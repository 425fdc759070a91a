package dev.kiln.capi.api;

import dev.kiln.capi.api.bootstrap.v1alpha1.KilnConfig;
import dev.kiln.capi.api.bootstrap.v1alpha1.KilnConfigTemplate;
import dev.kiln.capi.api.controlplane.v1alpha1.KilnControlPlane;
import dev.kiln.capi.api.controlplane.v1alpha1.KilnControlPlaneTemplate;
import dev.kiln.capi.api.controlplane.v1alpha1.KilnEtcdBackup;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnCluster;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnClusterTemplate;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachine;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachineTemplate;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnServer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;

/** Every custom resource kind Kiln defines; one CRD each. */
public final class KilnApi {
    public static final List<Class<? extends HasMetadata>> KINDS = List.of(
            KilnConfig.class,
            KilnConfigTemplate.class,
            KilnControlPlane.class,
            KilnControlPlaneTemplate.class,
            KilnEtcdBackup.class,
            KilnCluster.class,
            KilnClusterTemplate.class,
            KilnMachine.class,
            KilnMachineTemplate.class,
            KilnServer.class);

    private KilnApi() {}
}
