package dev.kiln.machinery.pki;

import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.KeyPurposeId;

/** What a leaf certificate may authenticate as; etcd peers need both directions. */
public enum CertificateUsage {
    SERVER(true, false),
    PEER(true, true),
    CLIENT(false, true);

    private final boolean serverAuth;
    private final boolean clientAuth;

    CertificateUsage(boolean serverAuth, boolean clientAuth) {
        this.serverAuth = serverAuth;
        this.clientAuth = clientAuth;
    }

    public boolean serverAuth() {
        return serverAuth;
    }

    public boolean clientAuth() {
        return clientAuth;
    }

    ExtendedKeyUsage extendedKeyUsage() {
        List<KeyPurposeId> purposes = new ArrayList<>();
        if (serverAuth) {
            purposes.add(KeyPurposeId.id_kp_serverAuth);
        }
        if (clientAuth) {
            purposes.add(KeyPurposeId.id_kp_clientAuth);
        }
        return new ExtendedKeyUsage(purposes.toArray(KeyPurposeId[]::new));
    }
}
