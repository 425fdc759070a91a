package dev.kiln.machinery.pki;

import java.security.cert.X509Certificate;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;

/** Machine API roles, carried as Organization (O=) values in client certificate subjects. */
public enum Role {
    ADMIN("os:admin"),
    OPERATOR("os:operator"),
    READER("os:reader"),
    ETCD_BACKUP("os:etcd:backup");

    private final String organization;

    Role(String organization) {
        this.organization = organization;
    }

    public String organization() {
        return organization;
    }

    public static Optional<Role> fromOrganization(String organization) {
        for (Role role : values()) {
            if (role.organization.equals(organization)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }

    /** Roles named by the subject's O= values; unknown organizations are ignored. */
    public static Set<Role> fromCertificate(X509Certificate certificate) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        X500Name subject = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        for (RDN rdn : subject.getRDNs(BCStyle.O)) {
            for (AttributeTypeAndValue attribute : rdn.getTypesAndValues()) {
                if (BCStyle.O.equals(attribute.getType()) && attribute.getValue() instanceof ASN1String value) {
                    fromOrganization(value.getString()).ifPresent(roles::add);
                }
            }
        }
        return roles;
    }
}
