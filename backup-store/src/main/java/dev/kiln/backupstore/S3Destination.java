package dev.kiln.backupstore;

import java.net.URI;
import java.util.Objects;

/**
 * An S3-compatible bucket and the folder prefix backups go under.
 *
 * @param endpoint  the service URL, e.g. {@code https://s3.eu-west-1.amazonaws.com} or a MinIO address; null leaves
 *                  it to the AWS SDK (Amazon S3 in the region, or {@code AWS_ENDPOINT_URL} and the profile's
 *                  {@code endpoint_url}, as the AWS CLI does)
 * @param pathStyle {@code https://host/bucket/key} rather than {@code https://bucket.host/key}; MinIO and most
 *                  self-hosted servers need it
 */
public record S3Destination(URI endpoint, String bucket, String prefix, String region, boolean pathStyle) {

    public S3Destination {
        Objects.requireNonNull(bucket, "bucket");
        prefix = prefix == null ? "" : prefix;
        region = region == null || region.isBlank() ? "us-east-1" : region;
    }

    /** For status and events: where, never with whom. */
    public String describe() {
        return "s3://" + bucket + "/" + prefix + " at " + endpointText();
    }

    public String endpointText() {
        return endpoint == null ? "the default S3 endpoint of " + region : endpoint.toString();
    }
}
