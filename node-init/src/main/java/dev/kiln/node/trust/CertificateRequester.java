package dev.kiln.node.trust;

import com.google.protobuf.ByteString;
import dev.kiln.machinery.api.security.CertificateRequest;
import dev.kiln.machinery.api.security.CertificateResponse;
import dev.kiln.machinery.api.security.SecurityServiceGrpc;
import dev.kiln.machinery.trust.Trustd;
import dev.kiln.node.grpc.NettyTls;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/** One Certificate call to a control plane's certificate service, trusting only {@code machine.ca.crt}. */
final class CertificateRequester {

    private CertificateRequester() {
    }

    /** The issued certificate's PEM; a failed call throws the gRPC status it ended with. */
    static String request(String host, int port, String machineCaPem, String token, byte[] csrPem, Duration deadline)
            throws SSLException, InterruptedException {
        ManagedChannel channel = NettyChannelBuilder.forAddress(host, port)
                .sslContext(NettyTls.forClient()
                        .trustManager(new ByteArrayInputStream(machineCaPem.getBytes(StandardCharsets.UTF_8)))
                        .build())
                .maxInboundMessageSize(TrustdService.MAX_MESSAGE_BYTES)
                .build();
        try {
            Metadata headers = new Metadata();
            headers.put(Trustd.TOKEN, token);
            CertificateResponse response = SecurityServiceGrpc.newBlockingStub(channel)
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                    .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
                    .certificate(CertificateRequest.newBuilder().setCsr(ByteString.copyFrom(csrPem)).build());
            return response.getCrt().toString(StandardCharsets.US_ASCII);
        } finally {
            channel.shutdownNow();
            channel.awaitTermination(2, TimeUnit.SECONDS);
        }
    }
}
