package dev.kiln.machinery.clientconfig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.machinery.pki.EcKeys;
import dev.kiln.machinery.pki.Role;
import dev.kiln.machinery.pki.SecretsBundle;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KilnContextTest {

    private static final SecretsBundle BUNDLE = SecretsBundle.generate();

    @Test
    void forAdminIssuesAnAdminClientCertificateFromTheOsCa() throws Exception {
        KilnContext context = KilnContext.forAdmin(BUNDLE, List.of("127.0.10.1:50000"));
        X509Certificate certificate = context.clientCertificate();

        certificate.verify(BUNDLE.os().certificate().getPublicKey());
        assertEquals(Set.of(Role.ADMIN), context.roles());
        assertEquals(List.of("1.3.6.1.5.5.7.3.2"), certificate.getExtendedKeyUsage());
        assertEquals(List.of(BUNDLE.os().certificate()), context.caCertificates());
        assertTrue(EcKeys.matches(context.clientKey(), certificate.getPublicKey()));
        assertEquals(List.of("127.0.10.1:50000"), context.endpoints());
        assertEquals(List.of(), context.nodes());
    }

    @Test
    void toStringDoesNotRevealTheClientKey() {
        KilnContext context = KilnContext.forAdmin(BUNDLE, List.of("127.0.10.1:50000"));

        assertFalse(context.toString().contains("PRIVATE KEY"), context.toString());
    }
}
