package dev.kiln.node.testing;

import dev.kiln.machinery.api.machine.EventsRequest;
import dev.kiln.machinery.api.machine.MachineServiceGrpc;
import dev.kiln.machinery.client.GrpcTls;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.stub.ClientCalls;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Machine API calls made method by method from the service descriptor, with any client certificate, for sweeps
 * that must reach every method whatever the typed client offers. Test support only.
 */
public final class RawCalls {

    private RawCalls() {
    }

    /** A channel that trusts the node's CA and presents the given client certificate, if any. */
    public static ManagedChannel channel(NodeProcess node, Optional<String> caPem, Optional<String> certificatePem,
            Optional<String> keyPem) {
        try {
            SslContextBuilder tls = GrpcTls.forClient();
            if (caPem.isPresent()) {
                tls.trustManager(pem(caPem.get()));
            } else {
                tls.trustManager(new TrustEveryServer());
            }
            if (certificatePem.isPresent()) {
                tls.keyManager(pem(certificatePem.get()), pem(keyPem.orElseThrow()));
            }
            return NettyChannelBuilder.forAddress(node.address(), node.port()).sslContext(tls.build()).build();
        } catch (SSLException e) {
            throw new IllegalStateException("client TLS for " + node.hostname(), e);
        }
    }

    /** The status the call ends with, or OK once it streams a first message (which also ends it). */
    @SuppressWarnings("unchecked")
    public static Status.Code withAnEmptyRequest(ManagedChannel channel, String bareMethodName) throws Exception {
        MethodDescriptor<Object, Object> method = (MethodDescriptor<Object, Object>) MachineServiceGrpc
                .getServiceDescriptor().getMethods().stream()
                .filter(m -> m.getBareMethodName().equals(bareMethodName)).findFirst().orElseThrow();
        // Events follows from now on by default; one retained event makes an allowed call answer at once.
        Object request = bareMethodName.equals("Events") ? EventsRequest.newBuilder().setTailEvents(1).build()
                : ((MethodDescriptor.PrototypeMarshaller<?>) method.getRequestMarshaller()).getMessagePrototype();
        CompletableFuture<Status.Code> answer = new CompletableFuture<>();
        ClientCall<Object, Object> call = channel.newCall(method, CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS));
        call.start(new ClientCall.Listener<>() {
            @Override
            public void onMessage(Object message) {
                answer.complete(Status.Code.OK);
                call.cancel("first message seen", null);
            }

            @Override
            public void onClose(Status status, Metadata trailers) {
                answer.complete(status.getCode());
            }
        }, new Metadata());
        call.request(1);
        call.sendMessage(request);
        call.halfClose();
        return answer.get(60, TimeUnit.SECONDS);
    }

    /** A unary call by full method name ("machine.MachineService/Version") with the reply as the bytes sent. */
    public static byte[] unaryBytes(ManagedChannel channel, String fullMethodName, byte[] request) {
        return ClientCalls.blockingUnaryCall(channel, bytesMethod(fullMethodName, MethodDescriptor.MethodType.UNARY),
                CallOptions.DEFAULT.withDeadlineAfter(60, TimeUnit.SECONDS), request);
    }

    /**
     * A server-streaming call by full method name; collects the messages' bytes until {@code enough} holds for them
     * or the stream ends, then cancels it.
     */
    public static List<byte[]> streamBytes(ManagedChannel channel, String fullMethodName, byte[] request,
            Predicate<List<byte[]>> enough, Duration within) throws Exception {
        List<byte[]> received = new ArrayList<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        ClientCall<byte[], byte[]> call = channel.newCall(
                bytesMethod(fullMethodName, MethodDescriptor.MethodType.SERVER_STREAMING),
                CallOptions.DEFAULT.withDeadlineAfter(within.toMillis(), TimeUnit.MILLISECONDS));
        call.start(new ClientCall.Listener<>() {
            @Override
            public void onMessage(byte[] message) {
                synchronized (received) {
                    received.add(message);
                    if (enough.test(received)) {
                        done.complete(null);
                        call.cancel("enough seen", null);
                        return;
                    }
                }
                call.request(1);
            }

            @Override
            public void onClose(Status status, Metadata trailers) {
                if (status.isOk() || done.isDone()) {
                    done.complete(null);
                } else {
                    done.completeExceptionally(status.asRuntimeException(trailers));
                }
            }
        }, new Metadata());
        call.request(1);
        call.sendMessage(request);
        call.halfClose();
        done.get(within.toMillis() + 10_000, TimeUnit.MILLISECONDS);
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    private static MethodDescriptor<byte[], byte[]> bytesMethod(String fullMethodName,
            MethodDescriptor.MethodType type) {
        return MethodDescriptor.<byte[], byte[]>newBuilder().setType(type).setFullMethodName(fullMethodName)
                .setRequestMarshaller(Bytes.INSTANCE).setResponseMarshaller(Bytes.INSTANCE).build();
    }

    private enum Bytes implements MethodDescriptor.Marshaller<byte[]> {
        INSTANCE;

        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    private static InputStream pem(String pem) {
        return new ByteArrayInputStream(pem.getBytes(StandardCharsets.UTF_8));
    }

    /** For sweeps of a maintenance node, which check authorization; other tests pin its certificate. */
    private static final class TrustEveryServer extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
