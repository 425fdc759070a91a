package dev.kiln.machinery.client;

import io.grpc.Metadata;
import java.util.OptionalLong;

/**
 * Response header metadata of MachineService/EtcdSnapshot that Kiln adds to the Talos wire format. A node sends it
 * before the first chunk; Talos clients ignore headers they do not know.
 */
public final class EtcdSnapshotHeaders {

    /**
     * The etcd revision the snapshot holds, in decimal: etcd's own where its snapshot response header carries one,
     * else (etcd 3.4) the member's revision read just before the snapshot, which the snapshot holds at least.
     */
    public static final Metadata.Key<String> REVISION = Metadata.Key.of("kiln-etcd-revision",
            Metadata.ASCII_STRING_MARSHALLER);

    private EtcdSnapshotHeaders() {
    }

    /** The revision a node reported, or empty when it sent none (a Talos node or an older Kiln node). */
    public static OptionalLong revision(Metadata headers) {
        String value = headers == null ? null : headers.get(REVISION);
        if (value == null) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(value));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
