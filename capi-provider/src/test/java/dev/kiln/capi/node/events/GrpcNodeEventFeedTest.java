package dev.kiln.capi.node.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.kiln.capi.node.NodeCredentials;
import dev.kiln.machinery.pki.SecretsBundle;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The feed's kept client TLS contexts, against 127.0.44.22-23, where nothing listens: every stream ends at once. */
class GrpcNodeEventFeedTest {

    private static final String NOBODY = "127.0.44.22";
    private static final String NOBODY_EITHER = "127.0.44.23";
    private static final NodeCredentials ADMIN = new NodeCredentials.ClusterAdmin(SecretsBundle.generate());

    private final GrpcNodeEventFeed feed = new GrpcNodeEventFeed();
    private final BlockingQueue<String> ended = new LinkedBlockingQueue<>();

    private AutoCloseable follow(NodeCredentials credentials) {
        return follow(NOBODY, credentials);
    }

    private AutoCloseable follow(String address, NodeCredentials credentials) {
        return feed.follow(address, credentials, new NodeEventFeed.Listener() {
            @Override
            public void onEvent() {
            }

            @Override
            public void onEnd(String reason) {
                ended.add(reason);
            }
        });
    }

    @Test
    void aStreamOpenedAgainAfterItsEndKeepsTheNodesContext() throws Exception {
        follow(ADMIN);
        assertNotNull(ended.poll(30, TimeUnit.SECONDS), "the stream to a closed port never ended");
        AutoCloseable again = follow(ADMIN);
        assertNotNull(ended.poll(30, TimeUnit.SECONDS), "the second stream never ended");
        assertEquals(1, feed.keptContexts());
        again.close();
    }

    @Test
    void aNodeNoLongerFollowedLosesItsContext() throws Exception {
        AutoCloseable stream = follow(ADMIN);
        assertEquals(1, feed.keptContexts());
        stream.close();
        assertEquals(0, feed.keptContexts());
    }

    @Test
    void nodesOfOneClusterShareAContextUntilTheLastIsNoLongerFollowed() throws Exception {
        AutoCloseable first = follow(NOBODY, ADMIN);
        AutoCloseable second = follow(NOBODY_EITHER, ADMIN);
        assertEquals(1, feed.keptContexts());
        first.close();
        assertEquals(1, feed.keptContexts());
        second.close();
        assertEquals(0, feed.keptContexts());
    }

    @Test
    void anotherIdentityGetsItsOwnContext() throws Exception {
        AutoCloseable admin = follow(ADMIN);
        AutoCloseable otherCluster = follow(new NodeCredentials.ClusterAdmin(SecretsBundle.generate()));
        assertEquals(2, feed.keptContexts());
        admin.close();
        otherCluster.close();
    }
}
