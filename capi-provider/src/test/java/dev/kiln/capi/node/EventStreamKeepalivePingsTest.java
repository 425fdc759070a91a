package dev.kiln.capi.node;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.machinery.pki.CertificateAuthority;
import dev.kiln.machinery.pki.CertificateRequest;
import dev.kiln.machinery.pki.IssuedCertificate;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The event feed's keepalive pings against a node's ping policy, on 127.0.44.24-25. */
class EventStreamKeepalivePingsTest {

    private static final String PERMITTING_HOST = "127.0.44.24";
    private static final String DEFAULT_POLICY_HOST = "127.0.44.25";

    @Test
    void streamToANodePermittingThePingsOutlivesOneThatGrpcsDefaultPolicyEndsAsTooManyPings() throws Exception {
        IssuedCertificate permittingCertificate = certificateFor(PERMITTING_HOST);
        IssuedCertificate defaultPolicyCertificate = certificateFor(DEFAULT_POLICY_HOST);
        try (TlsMachineServer permitting = new TlsMachineServer(PERMITTING_HOST).start(0, permittingCertificate, null);
                TlsMachineServer defaultPolicy = new TlsMachineServer(DEFAULT_POLICY_HOST)
                        .permittingPingsEvery(Duration.ofMinutes(5)).start(0, defaultPolicyCertificate, null);
                FollowedStream kept = FollowedStream.open(permitting.address(), permittingCertificate);
                FollowedStream refused = FollowedStream.open(defaultPolicy.address(), defaultPolicyCertificate)) {

            // Opened first, the kept stream has sent at least as many pings as the refused one when that one ends.
            String reason = refused.awaitEnd(Duration.ofSeconds(120));

            assertNotNull(reason, "gRPC's default ping policy never ended the stream");
            assertTrue(reason.contains("too_many_pings"), reason);
            assertNull(kept.endReason(), "the stream to the node that permits the pings ended too");
        }
    }

    private static IssuedCertificate certificateFor(String host) {
        return CertificateAuthority.generate("maintenance", Duration.ofDays(1))
                .issue(CertificateRequest.server("node", List.of(), List.of(host), Duration.ofDays(1)));
    }
}
