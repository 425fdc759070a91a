package dev.kiln.node.etcd;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import dev.failsafe.function.CheckedSupplier;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;

/**
 * How membership calls are retried and peers probed, shared by the join and the node's own membership calls. Every
 * wait goes through a Failsafe retry policy; this class only unwraps Failsafe's exception back to the call's own.
 */
final class EtcdRetries {

    interface EtcdCall {
        void run() throws EtcdCallException;
    }

    static final Duration PAUSE = Duration.ofMillis(300);

    private EtcdRetries() {
    }

    /** Retries transient refusals until {@code patience} runs out; with {@code notFoundIsDone}, a gone member is done. */
    static void untilDone(EtcdCall call, Duration patience, boolean notFoundIsDone)
            throws EtcdCallException, InterruptedException {
        RetryPolicy<Object> transientRefusals = RetryPolicy.builder()
                .handleIf(e -> e instanceof EtcdCallException c && c.refusal().isTransient())
                .withDelay(PAUSE)
                .withMaxDuration(patience)
                .withMaxRetries(-1)
                .build();
        try {
            get(transientRefusals, () -> {
                try {
                    call.run();
                } catch (EtcdCallException e) {
                    if (!(notFoundIsDone && e.refusal() == EtcdRefusal.MEMBER_NOT_FOUND)) {
                        throw e;
                    }
                }
                return null;
            });
        } catch (EtcdCallException | InterruptedException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs {@code call} under {@code policy} and throws what the last attempt threw, not Failsafe's wrapper. */
    static <T> T get(RetryPolicy<T> policy, CheckedSupplier<T> call) throws Exception {
        try {
            return Failsafe.with(policy).get(call);
        } catch (FailsafeException e) {
            if (e.getCause() instanceof InterruptedException interrupted) {
                // As Thread.sleep does: the flag is cleared when InterruptedException is thrown.
                Thread.interrupted();
                throw interrupted;
            }
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
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
