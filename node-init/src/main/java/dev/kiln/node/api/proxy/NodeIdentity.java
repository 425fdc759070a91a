package dev.kiln.node.api.proxy;

import dev.kiln.machinery.pki.CertificateAuthority;
import dev.kiln.machinery.pki.CertificateRequest;
import dev.kiln.machinery.pki.CertificateUsage;
import dev.kiln.machinery.pki.IssuedCertificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;

/**
 * The client certificate a node relays calls with: issued by the machine CA with the organization
 * {@value #ORGANIZATION} and no role, so it grants nothing by itself and only lets its holder relay a caller's roles.
 */
public record NodeIdentity(String hostname, String certificatePem, String keyPem) {

    public static final String ORGANIZATION = "os:impersonator";

    public static NodeIdentity issue(CertificateAuthority machineCa, String hostname) {
        IssuedCertificate issued = machineCa.issue(new CertificateRequest(hostname, List.of(ORGANIZATION), List.of(),
                List.of(), CertificateUsage.CLIENT, Duration.ofDays(365)));
        return new NodeIdentity(hostname, issued.certificatePem(), issued.keyPem());
    }

    /** True when the certificate's subject names {@value #ORGANIZATION} among its O= values. */
    public static boolean isNodeIdentity(X509Certificate certificate) {
        X500Name subject = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        for (RDN rdn : subject.getRDNs(BCStyle.O)) {
            for (AttributeTypeAndValue attribute : rdn.getTypesAndValues()) {
                if (BCStyle.O.equals(attribute.getType()) && attribute.getValue() instanceof ASN1String value
                        && ORGANIZATION.equals(value.getString())) {
                    return true;
                }
            }
        }
        return false;
    }
}
