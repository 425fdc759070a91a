package dev.kiln.node.testing;

import dev.kiln.machinery.pki.CertificateAuthority;
import dev.kiln.machinery.pki.CertificateRequest;
import dev.kiln.machinery.pki.IssuedCertificate;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Reads and writes keys on one etcd member with a client certificate of the test's own, issued by the cluster's
 * etcd CA, so tests see the data as any etcd client would and not through node-init. Test support only.
 */
public final class EtcdKeys implements AutoCloseable {

    private static final long CALL_SECONDS = 10;

    private final Client client;

    private EtcdKeys(Client client) {
        this.client = client;
    }

    public static EtcdKeys connect(CertificateAuthority etcdCa, String endpoint) throws IOException {
        IssuedCertificate cert = etcdCa.issue(CertificateRequest.client("kiln-test", Set.of(), Duration.ofHours(1)));
        byte[] ca = etcdCa.certificatePem().getBytes(StandardCharsets.UTF_8);
        byte[] crt = cert.certificatePem().getBytes(StandardCharsets.UTF_8);
        byte[] key = cert.keyPem().getBytes(StandardCharsets.UTF_8);
        return new EtcdKeys(Client.builder()
                .endpoints(List.of(URI.create(endpoint)).toArray(URI[]::new))
                .connectTimeout(Duration.ofSeconds(2))
                .sslContext(builder -> builder
                        .trustManager(new ByteArrayInputStream(ca))
                        .keyManager(new ByteArrayInputStream(crt), new ByteArrayInputStream(key)))
                .build());
    }

    public void put(String key, String value) throws Exception {
        client.getKVClient().put(bytes(key), bytes(value)).get(CALL_SECONDS, TimeUnit.SECONDS);
    }

    public Optional<String> get(String key) throws Exception {
        List<KeyValue> kvs = client.getKVClient().get(bytes(key)).get(CALL_SECONDS, TimeUnit.SECONDS).getKvs();
        return kvs.isEmpty() ? Optional.empty() : Optional.of(kvs.get(0).getValue().toString(StandardCharsets.UTF_8));
    }

    public void delete(String key) throws Exception {
        client.getKVClient().delete(bytes(key)).get(CALL_SECONDS, TimeUnit.SECONDS);
    }

    /** Compacts away every revision before the current one, so a defragment can give their space back. */
    public void compactToCurrentRevision() throws Exception {
        long revision = client.getKVClient().get(bytes("/")).get(CALL_SECONDS, TimeUnit.SECONDS)
                .getHeader().getRevision();
        client.getKVClient().compact(revision).get(CALL_SECONDS, TimeUnit.SECONDS);
    }

    private static ByteSequence bytes(String text) {
        return ByteSequence.from(text, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        client.close();
    }
}
