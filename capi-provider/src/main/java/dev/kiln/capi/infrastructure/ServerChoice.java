package dev.kiln.capi.infrastructure;

import dev.kiln.capi.api.infrastructure.v1alpha1.KilnServer;
import dev.kiln.capi.cluster.KilnServerAddress;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/** Which KilnServers a machine may try to claim, in the order it tries them. */
final class ServerChoice {

    private ServerChoice() {
    }

    /**
     * Address problems of the servers a machine with {@code selector} looks at, so a machine that finds no server
     * can say why.
     */
    static List<String> addressProblems(List<KilnServer> servers, LabelSelector selector) {
        return servers.stream()
                .filter(server -> selectable(server, selector))
                .sorted(Comparator.comparing(server -> server.getMetadata().getName()))
                .flatMap(server -> KilnServerAddress.problem(server).stream())
                .toList();
    }

    /** Names of the clean, free servers with a well-formed address matching {@code selector}, ordered by name. */
    static List<String> claimOrder(List<KilnServer> servers, LabelSelector selector) {
        return servers.stream()
                .filter(server -> claimable(server, selector))
                .map(server -> server.getMetadata().getName())
                .sorted(Comparator.naturalOrder())
                .toList();
    }

    /**
     * Servers matching {@code selector}, with a well-formed address, whose status records no clean/dirty verdict and
     * which no claim names ({@code claimed}): what a new server or one moved without its status looks like.
     */
    static List<KilnServer> unsurveyed(List<KilnServer> servers, LabelSelector selector, Collection<String> claimed) {
        return servers.stream()
                .filter(server -> server.getStatus() == null || server.getStatus().getClean() == null)
                .filter(server -> !claimed.contains(server.getMetadata().getName()))
                .filter(server -> KilnServerAddress.problem(server).isEmpty() && selectable(server, selector))
                .sorted(Comparator.comparing(server -> server.getMetadata().getName()))
                .toList();
    }

    static boolean claimable(KilnServer server, LabelSelector selector) {
        var status = server.getStatus();
        boolean clean = status != null && Boolean.TRUE.equals(status.getClean());
        boolean free = status == null || !Boolean.TRUE.equals(status.getInUse());
        boolean reachable = KilnServerAddress.problem(server).isEmpty();
        return clean && free && reachable && selectable(server, selector);
    }

    /** Not being deleted and matching the machine's server selector. */
    private static boolean selectable(KilnServer server, LabelSelector selector) {
        return server.getMetadata().getDeletionTimestamp() == null
                && LabelSelectorMatch.matches(selector, server.getMetadata().getLabels());
    }
}
