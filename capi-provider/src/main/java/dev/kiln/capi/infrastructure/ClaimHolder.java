package dev.kiln.capi.infrastructure;

import java.util.Map;
import java.util.Objects;

/**
 * Who a server claim names, read from the claim's data, and whether a KilnMachine is that holder. A claim names the
 * machine by namespace, name and cluster, which {@code clusterctl move} keeps, and by uid, which it does not; claims
 * written before the cluster key existed carry only namespace, name and uid and are still honoured.
 *
 * @param cluster null on a claim written before the cluster key existed
 * @param uid     the uid of the KilnMachine that made the claim, on the management cluster where it made it
 */
record ClaimHolder(String namespace, String name, String cluster, String uid) {

    static final String NAMESPACE = "namespace";
    static final String NAME = "name";
    static final String CLUSTER = "cluster";
    static final String UID = "uid";

    /** The machine that wants to hold a server: its identity and the server its spec.providerID already names. */
    record Machine(String namespace, String name, String cluster, String uid, String providerIdServer) {
    }

    static ClaimHolder of(Map<String, String> data) {
        Map<String, String> present = data == null ? Map.of() : data;
        return new ClaimHolder(present.get(NAMESPACE), present.get(NAME), present.get(CLUSTER), present.get(UID));
    }

    Map<String, String> data() {
        return Map.of(NAMESPACE, namespace, NAME, name, CLUSTER, cluster, UID, uid);
    }

    /**
     * The claim on {@code serverName} belongs to {@code machine} when it was made by this very object (same uid), or
     * when it names the machine's namespace, name and cluster and the machine's providerID already names the server:
     * a machine given a new uid by a move, whose spec came along. A newer machine that only reuses an old name has
     * no such providerID, so it never inherits a claim it did not make.
     */
    boolean heldBy(Machine machine, String serverName) {
        if (uid != null && uid.equals(machine.uid())) {
            return true;
        }
        boolean sameName = Objects.equals(namespace, machine.namespace()) && Objects.equals(name, machine.name())
                && (cluster == null || cluster.equals(machine.cluster()));
        return sameName && serverName.equals(machine.providerIdServer());
    }
}
