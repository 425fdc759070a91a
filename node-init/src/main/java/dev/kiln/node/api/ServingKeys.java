package dev.kiln.node.api;

import dev.kiln.machinery.pki.Pem;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The certificate a TLS listener presents, replaceable while it listens: a worker starts with a provisional one and
 * swaps in the certificate the control plane issues, then each renewal, without closing the port.
 */
public final class ServingKeys extends X509ExtendedKeyManager {

    private record Entry(X509Certificate[] chain, PrivateKey key) {
    }

    private final AtomicInteger generation = new AtomicInteger();
    // A handshake reads the alias first and the chain and key later, so the one it chose stays readable meanwhile.
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private volatile String current;

    private ServingKeys() {
    }

    /** {@code chainPem} holds the leaf first, then any intermediates. */
    public static ServingKeys of(String chainPem, String keyPem) {
        ServingKeys keys = new ServingKeys();
        keys.replace(chainPem, keyPem);
        return keys;
    }

    public synchronized void replace(String chainPem, String keyPem) {
        List<X509Certificate> chain = Pem.decodeCertificates(chainPem);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("no certificate to serve");
        }
        String alias = "serving-" + generation.incrementAndGet();
        entries.put(alias, new Entry(chain.toArray(X509Certificate[]::new), Pem.decodePrivateKey(keyPem)));
        String previous = current;
        current = alias;
        entries.keySet().removeIf(name -> !name.equals(alias) && !name.equals(previous));
    }

    /** The leaf certificate served now. */
    public X509Certificate leaf() {
        return entries.get(current).chain()[0];
    }

    // Kiln's keys are EC: no alias for the RSA key types a handshake may ask about first, as a JDK key manager does.
    private String aliasFor(String keyType) {
        return keyType == null || keyType.startsWith("EC") ? current : null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return aliasFor(keyType);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return aliasFor(keyType);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        String alias = aliasFor(keyType);
        return alias == null ? null : new String[] {alias};
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        Entry entry = entries.get(alias);
        return entry == null ? null : entry.chain().clone();
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        Entry entry = entries.get(alias);
        return entry == null ? null : entry.key();
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }
}
