package dev.kiln.capi.node;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.capi.node.events.GrpcNodeEventFeed;
import dev.kiln.capi.node.events.NodeEventFeed;
import dev.kiln.machinery.pki.CertificateAuthority;
import dev.kiln.machinery.pki.CertificateRequest;
import dev.kiln.machinery.pki.IssuedCertificate;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A node's Events stream over a network that goes silent, on 127.0.44.20-21. */
class EventStreamOverACutNetworkTest {

    private static final String NODE_HOST = "127.0.44.20";
    private static final String PATH_HOST = "127.0.44.21";

    @Test
    void aNodeCutOffWithoutAResetEndsItsStreamThroughUnansweredPings() throws Exception {
        IssuedCertificate certificate = CertificateAuthority.generate("maintenance", Duration.ofDays(1))
                .issue(CertificateRequest.server("node", List.of(), List.of(NODE_HOST), Duration.ofDays(1)));
        CountDownLatch firstEvent = new CountDownLatch(1);
        LinkedBlockingQueue<String> ended = new LinkedBlockingQueue<>();
        try (TlsMachineServer node = new TlsMachineServer(NODE_HOST).start(0, certificate, null);
                SilentNetwork path = new SilentNetwork(PATH_HOST, new InetSocketAddress(NODE_HOST, node.port()));
                GrpcNodeConnector connector = new GrpcNodeConnector(Duration.ofSeconds(30))) {
            AutoCloseable stream = new GrpcNodeEventFeed(connector).follow(path.address(),
                    new NodeCredentials.Maintenance(certificate.fingerprint()), new NodeEventFeed.Listener() {
                        @Override
                        public void onEvent() {
                            firstEvent.countDown();
                        }

                        @Override
                        public void onEnd(String reason) {
                            ended.add(reason);
                        }
                    });
            try {
                assertTrue(firstEvent.await(30, TimeUnit.SECONDS), "the stream never delivered its first event");
                path.cut();
                String reason = ended.poll(90, TimeUnit.SECONDS);
                assertNotNull(reason, "the stream over the cut network never ended");
                System.out.println("FIGURE stream over a cut network ended: " + reason);
            } finally {
                stream.close();
            }
        }
    }
}
