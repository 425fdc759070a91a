package dev.kiln.machinery.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RoleTest {

    @Test
    void fromOrganizationMapsKnownNamesAndIgnoresUnknown() {
        assertEquals(Optional.of(Role.ETCD_BACKUP), Role.fromOrganization("os:etcd:backup"));
        assertEquals(Optional.of(Role.OPERATOR), Role.fromOrganization("os:operator"));
        assertEquals(Optional.empty(), Role.fromOrganization("system:masters"));
    }

    @Test
    void fromCertificateReadsKnownOrganizationsAndIgnoresOthers() {
        CertificateAuthority ca = CertificateAuthority.generate("kiln-os", Duration.ofDays(1));
        CertificateRequest request = new CertificateRequest("backup", List.of("system:masters", "os:etcd:backup",
                "os:reader"), List.of(), List.of(), CertificateUsage.CLIENT, Duration.ofHours(1));

        assertEquals(EnumSet.of(Role.ETCD_BACKUP, Role.READER),
                Role.fromCertificate(ca.issue(request).certificate()));
    }
}
