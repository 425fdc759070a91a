package dev.kiln.testenv;

import dev.kiln.backupstore.LocalS3;
import java.net.URI;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * What a bucket of the in-JVM S3 server holds, read straight from it (not through the network the operator uses).
 * Keys ending in '/' are left out: the filesystem store lists its folders as such objects.
 */
record BucketContents(List<String> objects, List<String> incompleteUploads) {

    static BucketContents of(URI endpoint, String bucket, String prefix) {
        try (S3Client s3 = S3Client.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(LocalS3.ACCESS_KEY, LocalS3.SECRET_KEY)))
                .build()) {
            List<String> objects = s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()
                    .stream().map(S3Object::key).filter(key -> !key.endsWith("/")).sorted().toList();
            List<String> uploads = s3.listMultipartUploads(b -> b.bucket(bucket).prefix(prefix)).uploads().stream()
                    .map(MultipartUpload::key).sorted().toList();
            return new BucketContents(objects, uploads);
        }
    }

    /** Snapshot objects ({@code .db}); each complete backup also has its {@code .json} manifest. */
    List<String> snapshots() {
        return objects.stream().filter(key -> key.endsWith(".db")).toList();
    }

    List<String> manifests() {
        return objects.stream().filter(key -> key.endsWith(".db.json")).toList();
    }
}
