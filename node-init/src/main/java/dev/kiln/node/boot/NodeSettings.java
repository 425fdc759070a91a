package dev.kiln.node.boot;

import java.nio.file.Path;
import java.util.Optional;

/**
 * How this node-init process was started: its disk, its API address, where etcd lives, and a PEM file of CAs trusted
 * for release downloads besides the JDK's trust store.
 */
public record NodeSettings(Path root, String address, int port, Optional<String> hostname, String etcdBinary,
        String etcdctlBinary, Optional<Path> downloadCa) {

    /** The name used when neither the config nor the command line gives one. */
    public String defaultHostname() {
        return hostname.orElse("kiln-" + address.replace('.', '-').replace(':', '-'));
    }
}
