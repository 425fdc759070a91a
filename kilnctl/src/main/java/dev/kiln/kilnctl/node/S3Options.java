package dev.kiln.kilnctl.node;

import dev.kiln.backupstore.S3BackupStore;
import dev.kiln.backupstore.S3Destination;
import java.net.URI;
import java.util.Optional;
import picocli.CommandLine.Option;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/**
 * Where and as whom kilnctl reaches S3: credentials and region as the AWS CLI finds them (the AWS SDK's default
 * chains: AWS_ACCESS_KEY_ID and friends, AWS_PROFILE with ~/.aws/credentials and ~/.aws/config, instance roles),
 * the endpoint from {@code --endpoint-url} or, as with the AWS CLI, AWS_ENDPOINT_URL(_S3) or the profile.
 */
public final class S3Options {

    /** What the AWS CLI uses for S3 when no region is configured anywhere. */
    static final String FALLBACK_REGION = "us-east-1";

    @Option(names = "--endpoint-url", paramLabel = "URL",
            description = "S3-compatible endpoint, e.g. http://minio:9000 (default: AWS_ENDPOINT_URL_S3, "
                    + "AWS_ENDPOINT_URL, the profile's endpoint_url, then Amazon S3)")
    URI endpointUrl;

    @Option(names = "--s3-path-style", description = "address objects as https://host/bucket/key, as MinIO and most "
            + "self-hosted servers need")
    boolean pathStyle;

    @Option(names = "--profile", paramLabel = "NAME", description = "AWS profile (default: AWS_PROFILE, then default)")
    String profile;

    @Option(names = "--region", paramLabel = "REGION",
            description = "AWS region (default: AWS_REGION, the profile's region, then " + FALLBACK_REGION + ")")
    String region;

    S3BackupStore open(String bucket) {
        S3Destination destination = new S3Destination(endpointUrl, bucket, "", region(), pathStyle);
        DefaultCredentialsProvider.Builder credentials = DefaultCredentialsProvider.builder();
        if (profile != null) {
            credentials.profileName(profile);
        }
        return S3BackupStore.open(destination, credentials.build());
    }

    private String region() {
        if (region != null) {
            return region;
        }
        DefaultAwsRegionProviderChain.Builder chain = DefaultAwsRegionProviderChain.builder();
        if (profile != null) {
            chain.profileName(profile);
        }
        try {
            return chain.build().getRegion().id();
        } catch (SdkClientException e) {
            return Optional.ofNullable(System.getenv("AWS_DEFAULT_REGION")).orElse(FALLBACK_REGION);
        }
    }
}
