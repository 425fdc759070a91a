package dev.kiln.capi.node;

import dev.kiln.capi.node.events.GrpcNodeEventFeed;
import dev.kiln.capi.node.events.NodeEventFeed;
import dev.kiln.machinery.pki.IssuedCertificate;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A node's Events stream followed the way the operator follows it, open once its first event came (test support). */
public final class FollowedStream implements AutoCloseable {

    private final CountDownLatch firstEvent = new CountDownLatch(1);
    private final LinkedBlockingQueue<String> ended = new LinkedBlockingQueue<>();
    private final GrpcNodeConnector connector = new GrpcNodeConnector(Duration.ofSeconds(30));
    private AutoCloseable stream;

    private FollowedStream() {
    }

    /** Follows the node at {@code address} with the operator's feed and waits for the stream's first event. */
    public static FollowedStream open(String address, NodeCredentials credentials) throws Exception {
        FollowedStream followed = new FollowedStream();
        GrpcNodeEventFeed feed = new GrpcNodeEventFeed(followed.connector);
        followed.stream = feed.follow(address, credentials, new NodeEventFeed.Listener() {
            @Override
            public void onEvent() {
                followed.firstEvent.countDown();
            }

            @Override
            public void onEnd(String reason) {
                followed.ended.add(reason);
            }
        });
        if (!followed.firstEvent.await(60, TimeUnit.SECONDS)) {
            followed.close();
            throw new AssertionError("the stream from " + address + " never delivered its first event: "
                    + followed.ended.peek());
        }
        return followed;
    }

    public static FollowedStream open(String address, IssuedCertificate maintenanceCertificate) throws Exception {
        return open(address, new NodeCredentials.Maintenance(maintenanceCertificate.fingerprint()));
    }

    /** Why the stream ended, or null while it is open. */
    public String endReason() {
        return ended.peek();
    }

    /** Why the stream ended, waiting up to {@code patience}; null if it is still open then. */
    public String awaitEnd(Duration patience) throws InterruptedException {
        String reason = ended.poll(patience.toMillis(), TimeUnit.MILLISECONDS);
        if (reason != null) {
            ended.add(reason);
        }
        return reason;
    }

    @Override
    public void close() throws Exception {
        if (stream != null) {
            stream.close();
        }
        connector.close();
    }
}
