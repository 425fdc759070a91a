package dev.kiln.node.etcd;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;

/** How membership calls are retried and peers probed, shared by the join and the node's own membership calls. */
final class EtcdRetries {

    interface EtcdCall {
        void run() throws EtcdCallException;
    }

    private static final Duration PAUSE = Duration.ofMillis(300);

    private EtcdRetries() {
    }

    /** Retries transient refusals until {@code patience} runs out; with {@code notFoundIsDone}, a gone member is done. */
    static void untilDone(EtcdCall call, Duration patience, boolean notFoundIsDone)
            throws EtcdCallException, InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            try {
                call.run();
                return;
            } catch (EtcdCallException e) {
                if (notFoundIsDone && e.refusal() == EtcdRefusal.MEMBER_NOT_FOUND) {
                    return;
                }
                if (!e.refusal().isTransient() || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(PAUSE.toMillis());
            }
        }
    }

    /** Whether anything accepts a TCP connection at the URL's host and port within {@code timeout}. */
    static boolean acceptsConnections(URI url, Duration timeout) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(url.getHost(), url.getPort()), (int) timeout.toMillis());
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
