package dev.kiln.backupstore;

import java.io.IOException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** A failed S3 call in words for a condition and an Event: the reason and what to check, never a credential. */
public record S3Failure(String reason, String message) {

    public static S3Failure of(S3Destination destination, Exception e) {
        if (e instanceof NoSuchBucketException) {
            return new S3Failure("BucketNotFound", "bucket " + destination.bucket() + " does not exist at "
                    + destination.endpointText());
        }
        if (e instanceof S3Exception s3) {
            String code = s3.awsErrorDetails() == null ? "" : s3.awsErrorDetails().errorCode();
            if (s3.statusCode() == 403 || "InvalidAccessKeyId".equals(code) || "SignatureDoesNotMatch".equals(code)
                    || "AccessDenied".equals(code)) {
                return new S3Failure("CredentialsRefused", destination.endpointText() + " refused the credentials ("
                        + (code.isEmpty() ? "HTTP " + s3.statusCode() : code) + "); check the credentials Secret");
            }
            return new S3Failure("S3Error", destination.describe() + " answered HTTP " + s3.statusCode()
                    + (code.isEmpty() ? "" : " " + code));
        }
        if (e instanceof SdkClientException) {
            return new S3Failure("EndpointUnreachable", "cannot reach " + destination.endpointText() + ": "
                    + rootMessage(e));
        }
        if (e instanceof IOException) {
            return new S3Failure("SnapshotStreamFailed", "reading the snapshot failed: " + rootMessage(e));
        }
        return new S3Failure("BackupFailed", e.getClass().getSimpleName() + ": " + rootMessage(e));
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.length() > 300 ? message.substring(0, 300) + "..." : message;
    }
}
