package dev.kiln.node.boot;

import java.nio.file.Path;
import java.util.Optional;

/** How this node-init process was started: its disk, its API address and where etcd lives. */
public record NodeSettings(Path root, String address, int port, Optional<String> hostname, String etcdBinary,
        String etcdctlBinary) {

    /** The name used when neither the config nor the command line gives one. */
    public String defaultHostname() {
        return hostname.orElse("kiln-" + address.replace('.', '-').replace(':', '-'));
    }
}
