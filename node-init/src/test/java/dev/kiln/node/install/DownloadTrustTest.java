package dev.kiln.node.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.machinery.pki.CertificateAuthority;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DownloadTrustTest {

    @TempDir
    Path dir;

    @Test
    void trustsEveryCaOfTheRuntimesStoreReadFromItsFile() throws Exception {
        KeyStore runtime = DownloadTrust.runtimeCaStore();
        List<String> aliases = Collections.list(runtime.aliases());
        assertFalse(aliases.isEmpty(), "the runtime's CA store holds no CA");

        X509TrustManager trust = DownloadTrust.trustManager(Optional.empty());

        assertEquals(aliases.size(), trust.getAcceptedIssuers().length);
    }

    @Test
    void addsTheCasOfTheExtraPemFile() throws Exception {
        CertificateAuthority artifacts = CertificateAuthority.generate("artifact server", Duration.ofDays(1));
        Path pem = Files.writeString(dir.resolve("ca.pem"), artifacts.certificatePem());

        X509TrustManager trust = DownloadTrust.trustManager(Optional.of(pem));

        assertTrue(List.of(trust.getAcceptedIssuers()).contains(artifacts.certificate()));
        X509Certificate server = artifacts.issue(dev.kiln.machinery.pki.CertificateRequest.server("releases",
                List.of("releases.example"), List.of(), Duration.ofDays(1))).certificate();
        trust.checkServerTrusted(new X509Certificate[] {server, artifacts.certificate()}, "ECDHE_ECDSA");
    }

    @Test
    void extraPemWithoutCertificatesIsRefusedNamingTheFile() throws Exception {
        Path pem = Files.writeString(dir.resolve("empty.pem"), "no certificates here\n");

        Exception refused = assertThrows(Exception.class, () -> DownloadTrust.trustManager(Optional.of(pem)));
        assertTrue(refused.getMessage().contains(pem.toString()), refused.getMessage());
    }
}
