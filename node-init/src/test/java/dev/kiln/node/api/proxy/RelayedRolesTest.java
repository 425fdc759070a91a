package dev.kiln.node.api.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.machinery.pki.CertificateAuthority;
import dev.kiln.machinery.pki.CertificateRequest;
import dev.kiln.machinery.pki.Role;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RelayedRolesTest {

    @Test
    void rolesRoundTripThroughTheHeader() {
        Set<Role> roles = EnumSet.of(Role.READER, Role.ETCD_BACKUP);

        assertEquals("os:reader,os:etcd:backup", RelayedRoles.encode(roles));
        assertEquals(roles, RelayedRoles.decode(RelayedRoles.encode(roles)));
    }

    @Test
    void noRolesRoundTripAsNone() {
        assertEquals(Set.of(), RelayedRoles.decode(RelayedRoles.encode(Set.of())));
    }

    @Test
    void anUnknownRoleIsRefusedNamingTheHeader() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RelayedRoles.decode("os:reader,os:root"));

        assertEquals("kiln-proxied-roles: unknown role 'os:root'", e.getMessage());
    }

    @Test
    void aNodeIdentityIsRecognisedAndGrantsNoRole() {
        CertificateAuthority ca = CertificateAuthority.generate("machine", Duration.ofDays(1));
        NodeIdentity identity = NodeIdentity.issue(ca, "node-1");
        var certificate = CertificateAuthority.parseCertificate(identity.certificatePem());

        assertTrue(NodeIdentity.isNodeIdentity(certificate));
        assertEquals(Set.of(), Role.fromCertificate(certificate));
    }

    @Test
    void anAdminCertificateIsNoNodeIdentity() {
        CertificateAuthority ca = CertificateAuthority.generate("machine", Duration.ofDays(1));
        var admin = ca.issue(CertificateRequest.client("admin", Set.of(Role.ADMIN), Duration.ofDays(1)));

        assertFalse(NodeIdentity.isNodeIdentity(admin.certificate()));
    }
}
