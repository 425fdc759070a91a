package dev.kiln.capi.api.controlplane.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;

/** An S3-compatible bucket: Amazon S3, MinIO, Ceph RGW, or any server speaking the S3 API with signature v4. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BackupDestination {
    /** e.g. https://s3.eu-west-1.amazonaws.com or https://minio.example.com:9000 */
    @Required private String endpoint;
    @Required private String bucket;
    /** Keys start with it; then namespace/cluster/. */
    private String prefix;
    private String region;
    /** https://host/bucket/key addressing, as MinIO and most self-hosted servers need. */
    private Boolean forcePathStyle;
    /** A Secret in the same namespace with keys accessKeyId and secretAccessKey (and optionally sessionToken). */
    @Required private SecretRef credentialsSecretRef;

    public String getEndpoint() { return endpoint; }
    public void setEndpoint(String endpoint) { this.endpoint = endpoint; }
    public String getBucket() { return bucket; }
    public void setBucket(String bucket) { this.bucket = bucket; }
    public String getPrefix() { return prefix; }
    public void setPrefix(String prefix) { this.prefix = prefix; }
    public String getRegion() { return region; }
    public void setRegion(String region) { this.region = region; }
    public Boolean getForcePathStyle() { return forcePathStyle; }
    public void setForcePathStyle(Boolean forcePathStyle) { this.forcePathStyle = forcePathStyle; }
    public SecretRef getCredentialsSecretRef() { return credentialsSecretRef; }
    public void setCredentialsSecretRef(SecretRef credentialsSecretRef) { this.credentialsSecretRef = credentialsSecretRef; }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class SecretRef {
        @Required private String name;

        public String getName() { return name; }
        public void setName(String name) { this.name = name; }
    }
}
