package dev.kiln.capi.infrastructure;

import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachine;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnServer;
import dev.kiln.capi.cluster.KilnLabels;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Claims of KilnServers by KilnMachines. The claim ConfigMap {@code kiln-claim-<server>} is the lock: it is created
 * create-if-absent before anything else is written, so of two machines racing for one server exactly one gets it. A
 * machine first binds itself to the server it will claim ({@link ServerBindings}), so two instances provisioning one
 * machine never claim two servers for it.
 * The server's status only mirrors the claim for people and for choosing.
 */
final class ServerClaims {

    private static final String PREFIX = KilnLabels.serverClaimName("");

    /** A machine's claim; {@code server} is null when the claimed KilnServer no longer exists. */
    record Claim(String serverName, KilnServer server, boolean fresh) {
    }

    /** Each attempt follows a binding another instance changed meanwhile; a few cover any sane race. */
    private static final int MAX_BINDING_ATTEMPTS = 5;

    private final KubernetesClient client;
    private final ServerStatuses statuses;
    private final ServerBindings bindings;

    ServerClaims(KubernetesClient client) {
        this(client, Clock.systemUTC());
    }

    ServerClaims(KubernetesClient client, Clock clock) {
        this.client = client;
        this.statuses = new ServerStatuses(client, clock);
        this.bindings = new ServerBindings(client);
    }

    ServerStatuses statuses() {
        return statuses;
    }

    /**
     * The machine's existing claim, found from the claims' data (see {@link ClaimHolder}) so that neither a lost
     * status.serverRef nor the new uid a move gives the machine loses its server.
     */
    Optional<Claim> existing(ServerInventory inventory, KilnMachine machine) {
        String namespace = machine.getMetadata().getNamespace();
        var configMaps = client.configMaps().inNamespace(namespace);
        Optional<String> cluster = KilnLabels.clusterOf(machine);
        List<ConfigMap> candidates = cluster.isPresent()
                ? configMaps.withLabel(KilnLabels.CLUSTER_NAME, cluster.get()).list().getItems()
                : configMaps.list().getItems();
        ClaimHolder.Machine holder = holder(machine);
        Optional<ConfigMap> held = candidates.stream()
                .filter(ServerClaims::isClaim)
                .filter(map -> ClaimHolder.of(map.getData()).heldBy(holder, serverOf(map)))
                .min(Comparator.comparing(ServerClaims::serverOf));
        held.ifPresent(this::labelled);
        return held.map(ServerClaims::serverOf)
                .map(server -> new Claim(server, inventory.server(namespace, server).orElse(null), false));
    }

    /**
     * The machine's claim: the existing one, or a new one on the server its binding names, bound first to the first
     * clean, free and unclaimed server matching its selector, in {@code failureDomain} when given. Empty when every
     * such server is taken.
     */
    Optional<Claim> claim(ServerInventory inventory, KilnMachine machine, String cluster,
            Optional<String> failureDomain) {
        Optional<Claim> existing = existing(inventory, machine);
        if (existing.isPresent()) {
            return existing.map(claim -> repaired(claim, machine));
        }
        String namespace = machine.getMetadata().getNamespace();
        ServerBindings.Binding binding = bindings.read(machine);
        Set<String> lost = new HashSet<>();
        for (int attempt = 0; attempt < MAX_BINDING_ATTEMPTS; attempt++) {
            if (binding.server().isEmpty()) {
                Optional<String> choice = firstUnclaimed(inventory, machine, failureDomain, lost);
                if (choice.isEmpty()) {
                    return Optional.empty();
                }
                binding = bindings.bind(machine, cluster, binding, choice.get());
                continue;
            }
            String name = binding.server().get();
            KilnServer server = inventory.server(namespace, name).orElse(null);
            if (server == null) {
                binding = bindings.clear(machine, cluster, binding);
                continue;
            }
            boolean created = create(machine, cluster, name);
            if (created || heldBy(machine, name)) {
                return Optional.of(new Claim(name, statuses.markInUse(server, machine), created));
            }
            lost.add(name);
            binding = bindings.clear(machine, cluster, binding);
        }
        return Optional.empty();
    }

    /** A server another machine won in this pass is passed over, since the cache may not show that claim yet. */
    private Optional<String> firstUnclaimed(ServerInventory inventory, KilnMachine machine,
            Optional<String> failureDomain, Set<String> lost) {
        String namespace = machine.getMetadata().getNamespace();
        var selector = machine.getSpec() == null ? null : machine.getSpec().getServerSelector();
        Set<String> claimed = inventory.claimedServers(namespace);
        return ServerChoice.claimOrder(DomainPlacement.inDomain(inventory.servers(namespace), failureDomain), selector)
                .stream()
                .filter(name -> !claimed.contains(name) && !lost.contains(name))
                .findFirst();
    }

    private boolean heldBy(KilnMachine machine, String serverName) {
        ConfigMap claim = client.configMaps().inNamespace(machine.getMetadata().getNamespace())
                .withName(KilnLabels.serverClaimName(serverName)).get();
        return claim != null && ClaimHolder.of(claim.getData()).heldBy(holder(machine), serverName);
    }

    // Claims written before the claim label existed gain it when their machine next reads them.
    private void labelled(ConfigMap claim) {
        if (claim.getMetadata().getLabels() != null
                && claim.getMetadata().getLabels().containsKey(ServerInventory.CLAIM_LABEL)) {
            return;
        }
        client.configMaps().inNamespace(claim.getMetadata().getNamespace()).withName(claim.getMetadata().getName())
                .edit(current -> new ConfigMapBuilder(current).editMetadata()
                        .addToLabels(ServerInventory.CLAIM_LABEL, "true").endMetadata().build());
    }

    /** Why no server in {@code failureDomain} could be claimed. */
    String noServerIn(ServerInventory inventory, KilnMachine machine, String failureDomain) {
        List<KilnServer> servers = inventory.servers(machine.getMetadata().getNamespace());
        return DomainPlacement.noServerIn(failureDomain, machine.getMetadata().getNamespace(), servers,
                machine.getSpec() == null ? null : machine.getSpec().getServerSelector());
    }

    /**
     * Servers matching the machine's selector whose inventory state was never recorded on this management cluster
     * (registered without a status, or moved here by clusterctl move, which does not copy status) and that nobody
     * claims: their nodes are asked whether they are wiped.
     */
    List<KilnServer> unsurveyed(ServerInventory inventory, KilnMachine machine) {
        String namespace = machine.getMetadata().getNamespace();
        List<KilnServer> servers = inventory.servers(namespace);
        Set<String> claimed = inventory.claimedServers(namespace);
        return ServerChoice.unsurveyed(servers, machine.getSpec() == null ? null : machine.getSpec().getServerSelector(),
                claimed);
    }

    /** Why servers matching the machine's selector cannot be claimed for their address; empty when none. */
    List<String> addressProblems(ServerInventory inventory, KilnMachine machine) {
        List<KilnServer> servers = inventory.servers(machine.getMetadata().getNamespace());
        return ServerChoice.addressProblems(servers, machine.getSpec() == null ? null : machine.getSpec().getServerSelector());
    }

    /** Frees a server whose node was seen wiped: status first, then the lock, so nobody claims a half-freed server. */
    void release(Claim claim, KilnMachine machine) {
        if (claim.server() != null && ServerStatuses.heldBy(claim.server(), machine)) {
            statuses.markFreeAndClean(claim.server());
        }
        delete(machine.getMetadata().getNamespace(), claim.serverName());
        bindings.delete(machine);
    }

    /**
     * Lets a machine go whose node could not be reset: the server is freed but stays dirty, and its status says why,
     * so it is never handed out as clean.
     */
    void releaseUnwiped(Claim claim, KilnMachine machine, String message, Clock clock) {
        if (claim.server() != null && ServerStatuses.heldBy(claim.server(), machine)) {
            statuses.markFreeButUnwiped(claim.server(), message, clock);
        }
        delete(machine.getMetadata().getNamespace(), claim.serverName());
        bindings.delete(machine);
    }

    void delete(String namespace, String serverName) {
        client.configMaps().inNamespace(namespace).withName(KilnLabels.serverClaimName(serverName)).delete();
    }

    // A claim written just before a crash may lack the server status that mirrors it.
    private Claim repaired(Claim claim, KilnMachine machine) {
        if (claim.server() == null || ServerStatuses.heldBy(claim.server(), machine)) {
            return claim;
        }
        return new Claim(claim.serverName(), statuses.markInUse(claim.server(), machine), false);
    }

    private boolean create(KilnMachine machine, String cluster, String serverName) {
        ConfigMap claim = new ConfigMapBuilder()
                .withNewMetadata()
                    .withName(KilnLabels.serverClaimName(serverName))
                    .withNamespace(machine.getMetadata().getNamespace())
                    .withLabels(KilnLabels.forCluster(cluster))
                    .addToLabels(ServerInventory.CLAIM_LABEL, "true")
                    .withOwnerReferences(KilnLabels.ownedBy(machine, true))
                .endMetadata()
                .withData(new ClaimHolder(machine.getMetadata().getNamespace(), machine.getMetadata().getName(),
                        cluster, machine.getMetadata().getUid()).data())
                .build();
        try {
            client.configMaps().inNamespace(machine.getMetadata().getNamespace()).resource(claim).create();
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            return false;
        }
    }

    static ClaimHolder.Machine holder(KilnMachine machine) {
        String providerId = machine.getSpec() == null ? null : machine.getSpec().getProviderId();
        String server = providerId != null && providerId.startsWith(KilnMachineReconciler.PROVIDER_ID_PREFIX)
                ? providerId.substring(KilnMachineReconciler.PROVIDER_ID_PREFIX.length()) : null;
        return new ClaimHolder.Machine(machine.getMetadata().getNamespace(), machine.getMetadata().getName(),
                KilnLabels.clusterOf(machine).orElse(null), machine.getMetadata().getUid(), server);
    }

    static boolean isClaim(ConfigMap map) {
        return map.getMetadata().getName().startsWith(PREFIX);
    }

    static String serverOf(ConfigMap claim) {
        return claim.getMetadata().getName().substring(PREFIX.length());
    }
}
