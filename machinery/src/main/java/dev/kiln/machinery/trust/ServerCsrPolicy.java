package dev.kiln.machinery.trust;

import dev.kiln.machinery.config.NetworkNames;
import dev.kiln.machinery.pki.CertificateRequest;
import java.io.IOException;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * What the certificate service signs for a caller holding only the machine token: a machine API <em>server</em>
 * certificate and nothing else. From the request it keeps the public key (after checking the request's signature),
 * the IP and DNS subject alternative names and, if it is a host name, the common name. The organisation, every other
 * subject attribute and every other requested extension are dropped, so no role (O=os:*) or node identity can be
 * asked for; usage, lifetime and CA:false are the service's own.
 */
public final class ServerCsrPolicy {

    /** A CSR with a P-256 key and dozens of names stays far below this; anything larger is refused unread. */
    public static final int MAX_CSR_BYTES = 16 * 1024;
    public static final int MAX_SUBJECT_ALT_NAMES = 32;
    public static final Duration LIFETIME = Duration.ofDays(30);
    // RFC 5280's upper bound for a common name.
    private static final int MAX_COMMON_NAME = 64;
    private static final String FALLBACK_COMMON_NAME = "kiln-machine-api";
    private static final ECParameterSpec P256 = p256();

    private ServerCsrPolicy() {
    }

    /** The outcome for one request. */
    public sealed interface Decision {
    }

    /** Sign {@code request} for {@code publicKey}. */
    public record Sign(CertificateRequest request, PublicKey publicKey) implements Decision {
    }

    /** Refused, with what was wrong. */
    public record Refuse(String reason) implements Decision {
    }

    public static Decision decide(byte[] csr) {
        if (csr.length == 0) {
            return new Refuse("csr is empty: send a PEM-encoded PKCS#10 certificate signing request");
        }
        if (csr.length > MAX_CSR_BYTES) {
            return new Refuse("csr is " + csr.length + " bytes; at most " + MAX_CSR_BYTES + " are accepted");
        }
        JcaPKCS10CertificationRequest request;
        try {
            request = parse(csr);
        } catch (IOException | RuntimeException e) {
            return new Refuse("csr is not a PEM-encoded PKCS#10 certificate signing request: " + e.getMessage());
        }
        if (!X9ObjectIdentifiers.id_ecPublicKey.equals(request.getSubjectPublicKeyInfo().getAlgorithm().getAlgorithm())) {
            return new Refuse("csr key must be ECDSA P-256, got key algorithm "
                    + request.getSubjectPublicKeyInfo().getAlgorithm().getAlgorithm().getId());
        }
        PublicKey key;
        try {
            key = KeyFactory.getInstance("EC").generatePublic(
                    new X509EncodedKeySpec(request.getSubjectPublicKeyInfo().getEncoded()));
            if (!request.isSignatureValid(new JcaContentVerifierProviderBuilder().build(key))) {
                return new Refuse("csr signature does not verify with its own public key");
            }
        } catch (GeneralSecurityException | IOException | OperatorCreationException | PKCSException
                | RuntimeException e) {
            return new Refuse("csr signature cannot be checked: " + e.getMessage());
        }
        if (!isP256(key)) {
            return new Refuse("csr key must be ECDSA P-256, got another curve");
        }
        List<String> dnsNames = new ArrayList<>();
        List<String> ipAddresses = new ArrayList<>();
        String sanProblem = subjectAltNames(request, dnsNames, ipAddresses);
        if (sanProblem != null) {
            return new Refuse(sanProblem);
        }
        if (dnsNames.isEmpty() && ipAddresses.isEmpty()) {
            return new Refuse("csr names no IP address or DNS name (subjectAltName): a server certificate needs one");
        }
        if (dnsNames.size() + ipAddresses.size() > MAX_SUBJECT_ALT_NAMES) {
            return new Refuse("csr names " + (dnsNames.size() + ipAddresses.size()) + " subject alternative names; at"
                    + " most " + MAX_SUBJECT_ALT_NAMES + " are accepted");
        }
        String commonName = commonName(request.getSubject(), dnsNames, ipAddresses);
        return new Sign(CertificateRequest.server(commonName, dnsNames, ipAddresses, LIFETIME), key);
    }

    private static JcaPKCS10CertificationRequest parse(byte[] csr) throws IOException {
        String text = new String(csr, StandardCharsets.US_ASCII);
        if (!text.contains("-----BEGIN")) {
            return new JcaPKCS10CertificationRequest(csr);
        }
        try (PEMParser parser = new PEMParser(new StringReader(text))) {
            Object object = parser.readObject();
            if (object instanceof org.bouncycastle.pkcs.PKCS10CertificationRequest pkcs10) {
                return new JcaPKCS10CertificationRequest(pkcs10);
            }
            throw new IOException("the PEM block is " + (object == null ? "empty" : "not a CERTIFICATE REQUEST"));
        }
    }

    /** Fills the names; returns why the request is refused, or null. */
    private static String subjectAltNames(JcaPKCS10CertificationRequest request, List<String> dnsNames,
            List<String> ipAddresses) {
        Set<String> dns = new LinkedHashSet<>();
        Set<String> ips = new LinkedHashSet<>();
        for (Attribute attribute : request.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)) {
            for (ASN1Encodable value : attribute.getAttributeValues()) {
                Extension san = Extensions.getInstance(value).getExtension(Extension.subjectAlternativeName);
                if (san == null) {
                    continue;
                }
                for (GeneralName name : GeneralNames.getInstance(san.getParsedValue()).getNames()) {
                    String problem = add(name, dns, ips);
                    if (problem != null) {
                        return problem;
                    }
                }
            }
        }
        dnsNames.addAll(dns);
        ipAddresses.addAll(ips);
        return null;
    }

    private static String add(GeneralName name, Set<String> dns, Set<String> ips) {
        if (name.getTagNo() == GeneralName.dNSName) {
            String value = ((ASN1String) name.getName()).getString();
            // No wildcards: one machine's certificate must not vouch for other hosts.
            if (!NetworkNames.isDnsName(value)) {
                return "csr subjectAltName DNS name '" + value + "' is not an RFC 1123 DNS name (wildcards are refused)";
            }
            dns.add(value);
            return null;
        }
        if (name.getTagNo() == GeneralName.iPAddress) {
            byte[] octets = ASN1OctetString.getInstance(name.getName()).getOctets();
            try {
                ips.add(InetAddress.getByAddress(octets).getHostAddress());
                return null;
            } catch (UnknownHostException e) {
                return "csr subjectAltName IP address of " + octets.length + " bytes is not an IPv4 or IPv6 address";
            }
        }
        return "csr subjectAltName of type " + typeName(name.getTagNo())
                + " is refused: only IP addresses and DNS names are signed";
    }

    private static String typeName(int tag) {
        return switch (tag) {
            case GeneralName.otherName -> "otherName";
            case GeneralName.rfc822Name -> "email (rfc822Name)";
            case GeneralName.x400Address -> "x400Address";
            case GeneralName.directoryName -> "directoryName";
            case GeneralName.ediPartyName -> "ediPartyName";
            case GeneralName.uniformResourceIdentifier -> "URI";
            case GeneralName.registeredID -> "registeredID";
            default -> "tag " + tag;
        };
    }

    private static String commonName(X500Name subject, List<String> dnsNames, List<String> ipAddresses) {
        for (RDN rdn : subject.getRDNs(BCStyle.CN)) {
            if (rdn.getFirst() != null && rdn.getFirst().getValue() instanceof ASN1String value
                    && value.getString().length() <= MAX_COMMON_NAME && NetworkNames.isDnsName(value.getString())) {
                return value.getString();
            }
        }
        List<String> names = new ArrayList<>(dnsNames);
        names.addAll(ipAddresses);
        return names.stream().filter(n -> n.length() <= MAX_COMMON_NAME).findFirst().orElse(FALLBACK_COMMON_NAME);
    }

    private static boolean isP256(PublicKey key) {
        if (!(key instanceof ECPublicKey ec)) {
            return false;
        }
        ECParameterSpec params = ec.getParams();
        return params.getOrder().equals(P256.getOrder()) && params.getCurve().equals(P256.getCurve())
                && params.getGenerator().equals(P256.getGenerator());
    }

    private static ECParameterSpec p256() {
        try {
            AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
            parameters.init(new ECGenParameterSpec("secp256r1"));
            return parameters.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no secp256r1", e);
        }
    }
}
