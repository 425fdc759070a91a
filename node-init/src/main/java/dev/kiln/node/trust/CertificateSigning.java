package dev.kiln.node.trust;

import com.google.protobuf.ByteString;
import dev.kiln.machinery.api.security.CertificateRequest;
import dev.kiln.machinery.api.security.CertificateResponse;
import dev.kiln.machinery.api.security.SecurityServiceGrpc;
import dev.kiln.machinery.pki.CertificateAuthority;
import dev.kiln.machinery.pki.Pem;
import dev.kiln.machinery.trust.ServerCsrPolicy;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.function.Consumer;

/** The SecurityService: signs a worker's CSR as a machine API server certificate under {@link ServerCsrPolicy}. */
final class CertificateSigning extends SecurityServiceGrpc.SecurityServiceImplBase {

    private final CertificateAuthority machineCa;
    private final RequestBudget budget;
    private final Consumer<String> log;

    CertificateSigning(CertificateAuthority machineCa, RequestBudget budget, Consumer<String> log) {
        this.machineCa = machineCa;
        this.budget = budget;
        this.log = log;
    }

    @Override
    public void certificate(CertificateRequest request, StreamObserver<CertificateResponse> reply) {
        if (!budget.tryTake()) {
            reply.onError(Status.RESOURCE_EXHAUSTED.withDescription("certificate requests are limited to "
                    + budget.describe() + "; try again shortly").asRuntimeException());
            return;
        }
        ServerCsrPolicy.Decision decision = ServerCsrPolicy.decide(request.getCsr().toByteArray());
        if (decision instanceof ServerCsrPolicy.Refuse refuse) {
            log.accept("refused a certificate request: " + refuse.reason());
            reply.onError(Status.INVALID_ARGUMENT.withDescription(refuse.reason()).asRuntimeException());
            return;
        }
        ServerCsrPolicy.Sign sign = (ServerCsrPolicy.Sign) decision;
        X509Certificate issued = machineCa.sign(sign.request(), sign.publicKey());
        log.accept("issued a machine API server certificate for " + sign.request().commonName() + " "
                + sign.request().dnsNames() + " " + sign.request().ipAddresses() + " until " + issued.getNotAfter());
        reply.onNext(CertificateResponse.newBuilder()
                .setCa(ByteString.copyFrom(machineCa.certificatePem(), StandardCharsets.US_ASCII))
                .setCrt(ByteString.copyFrom(Pem.encodeCertificate(issued), StandardCharsets.US_ASCII))
                .build());
        reply.onCompleted();
    }
}
