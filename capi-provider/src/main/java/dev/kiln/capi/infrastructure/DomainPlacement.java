package dev.kiln.capi.infrastructure;

import dev.kiln.capi.api.infrastructure.v1alpha1.KilnServer;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Keeps a machine with a failure domain to the KilnServers of that domain. */
final class DomainPlacement {

    /** The well-known label Kubernetes nodes carry too; a KilnServer's value names its failure domain. */
    static final String ZONE_LABEL = "topology.kubernetes.io/zone";

    private DomainPlacement() {
    }

    /** The servers in {@code domain}; all of them when the machine has no domain. */
    static List<KilnServer> inDomain(List<KilnServer> servers, Optional<String> domain) {
        if (domain.isEmpty()) {
            return servers;
        }
        return servers.stream().filter(server -> domain.get().equals(zoneOf(server))).toList();
    }

    /** Why a machine in {@code domain} found no server, naming the claimable servers elsewhere. */
    static String noServerIn(String domain, String namespace, List<KilnServer> servers, LabelSelector selector) {
        List<String> elsewhere = ServerChoice.claimOrder(servers, selector);
        String zones = servers.stream()
                .filter(server -> elsewhere.contains(server.getMetadata().getName()))
                .sorted(java.util.Comparator.comparing(server -> server.getMetadata().getName()))
                .map(server -> server.getMetadata().getName() + " (" + Optional.ofNullable(zoneOf(server))
                        .map(zone -> "in " + zone).orElse("no " + ZONE_LABEL + " label") + ")")
                .reduce((a, b) -> a + ", " + b).orElse("none");
        return "no KilnServer in namespace " + namespace + " is clean, free, matches spec.serverSelector and is in "
                + "the Machine's failure domain " + domain + " (label " + ZONE_LABEL + "=" + domain
                + "); clean, free matching servers outside it: " + zones;
    }

    static String zoneOf(KilnServer server) {
        Map<String, String> labels = server.getMetadata().getLabels();
        return labels == null ? null : labels.get(ZONE_LABEL);
    }
}
