package dev.kiln.capi.infrastructure;

import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachine;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnServer;
import dev.kiln.capi.cluster.CachedReads;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.source.Cache;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The KilnServers of a namespace and the servers their claim ConfigMaps name, as a pass reads them. Choosing from a
 * lagging cache is safe: the claim is still taken by a create-if-absent of its ConfigMap, which only one machine wins.
 */
record ServerInventory(CachedReads<KilnServer> servers, CachedReads<ConfigMap> claims) {

    /** Marks a claim ConfigMap, so claims are listed without reading every ConfigMap of the namespace. */
    static final String CLAIM_LABEL = "infrastructure.kiln.dev/server-claim";

    static ServerInventory live(KubernetesClient client) {
        return new ServerInventory(CachedReads.live(client, KilnServer.class), CachedReads.live(client, ConfigMap.class));
    }

    static ServerInventory informers(KubernetesClient client, Context<KilnMachine> context,
            Cache<ConfigMap> claimCache) {
        return new ServerInventory(CachedReads.informer(client, KilnServer.class, context),
                CachedReads.from(client, ConfigMap.class, claimCache));
    }

    List<KilnServer> servers(String namespace) {
        return servers.list(namespace, Map.of(), Set.of(), server -> true);
    }

    Optional<KilnServer> server(String namespace, String name) {
        return servers.get(namespace, name);
    }

    Set<String> claimedServers(String namespace) {
        return claims.list(namespace, Map.of(), Set.of(CLAIM_LABEL), ServerClaims::isClaim).stream()
                .map(ServerClaims::serverOf)
                .collect(Collectors.toSet());
    }
}
