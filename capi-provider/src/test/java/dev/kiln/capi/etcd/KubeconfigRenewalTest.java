package dev.kiln.capi.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.capi.etcd.KubeconfigRenewal.Current;
import dev.kiln.capi.etcd.KubeconfigRenewal.Stored;
import dev.kiln.capi.etcd.KubeconfigRenewal.Write;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class KubeconfigRenewalTest {

    private static final String SERVER = "https://10.0.0.1:6443";
    private static final String CA = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
    private static final Instant ISSUED = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant EXPIRES = ISSUED.plus(Duration.ofDays(365));
    private static final Stored CURRENT = new Stored.Issued(SERVER, CA, ISSUED, EXPIRES);

    @Test
    void aMissingKubeconfigIsWrittenAndThatIsNotARotation() {
        Write write = assertInstanceOf(Write.class, KubeconfigRenewal.decide(new Stored.Missing(), SERVER, CA, ISSUED));
        assertFalse(write.rotation());
    }

    @Test
    void anUnreadableKubeconfigIsReplacedNamingWhy() {
        Write write = assertInstanceOf(Write.class,
                KubeconfigRenewal.decide(new Stored.Unreadable("no users"), SERVER, CA, ISSUED));
        assertTrue(write.rotation());
        assertTrue(write.reason().contains("no users"), write.reason());
    }

    @Test
    void aKubeconfigForAnotherEndpointIsReplaced() {
        Write write = assertInstanceOf(Write.class,
                KubeconfigRenewal.decide(CURRENT, "https://10.0.0.9:6443", CA, ISSUED.plusSeconds(60)));
        assertTrue(write.reason().contains("https://10.0.0.9:6443"), write.reason());
    }

    @Test
    void aKubeconfigTrustingAnotherCaIsReplaced() {
        Write write = assertInstanceOf(Write.class,
                KubeconfigRenewal.decide(CURRENT, SERVER, CA.replace("AAAA", "BBBB"), ISSUED.plusSeconds(60)));
        assertTrue(write.reason().contains("CA"), write.reason());
    }

    @Test
    void theCaComparisonIgnoresSurroundingWhitespace() {
        assertInstanceOf(Current.class, KubeconfigRenewal.decide(CURRENT, SERVER, "\n" + CA.strip(), ISSUED));
    }

    @Test
    void aCertificateBeforeSeventyPercentOfItsLifetimeIsKeptUntilThatPoint() {
        Instant renewAt = ISSUED.plus(Duration.ofDays(365).multipliedBy(70).dividedBy(100));
        Current current = assertInstanceOf(Current.class,
                KubeconfigRenewal.decide(CURRENT, SERVER, CA, renewAt.minusSeconds(1)));
        assertEquals(renewAt, current.renewAt());
    }

    @Test
    void aCertificateAtItsRenewalPointIsRotatedWithItsExpiryInTheReason() {
        Instant renewAt = KubeconfigRenewal.renewalPoint(ISSUED, EXPIRES);
        Write write = assertInstanceOf(Write.class, KubeconfigRenewal.decide(CURRENT, SERVER, CA, renewAt));
        assertTrue(write.rotation());
        assertTrue(write.reason().contains(EXPIRES.toString()), write.reason());
    }

    @Test
    void anExpiredCertificateIsRotated() {
        assertInstanceOf(Write.class, KubeconfigRenewal.decide(CURRENT, SERVER, CA, EXPIRES.plusSeconds(1)));
    }

    @Test
    void theDefaultYearLongCertificateIsRenewedAboutHundredTenDaysBeforeItExpires() {
        Duration left = Duration.between(KubeconfigRenewal.renewalPoint(ISSUED, EXPIRES), EXPIRES);
        assertEquals(109, left.toDays());
    }
}
