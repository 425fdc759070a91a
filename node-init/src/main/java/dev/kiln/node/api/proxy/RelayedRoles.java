package dev.kiln.node.api.proxy;

import dev.kiln.machinery.pki.Role;
import io.grpc.Metadata;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/** The caller's roles as a relaying node states them to a target, in the {@value #NAME} request header. */
public final class RelayedRoles {

    public static final String NAME = "kiln-proxied-roles";
    public static final Metadata.Key<String> HEADER = Metadata.Key.of(NAME, Metadata.ASCII_STRING_MARSHALLER);

    private RelayedRoles() {
    }

    public static String encode(Set<Role> roles) {
        return roles.stream().sorted().map(Role::organization).collect(Collectors.joining(","));
    }

    /** The roles named; an unknown name is refused, so a newer node cannot hand an older one a role it misreads. */
    public static Set<Role> decode(String header) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        if (header.isBlank()) {
            return roles;
        }
        for (String name : header.split(",", -1)) {
            roles.add(Role.fromOrganization(name.trim()).orElseThrow(() -> new IllegalArgumentException(
                    NAME + ": unknown role '" + name.trim() + "'")));
        }
        return roles;
    }
}
