package dev.kiln.capi.backup;

import dev.kiln.backupstore.S3Credentials;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/** The S3 credentials a backup destination names: a Secret with accessKeyId, secretAccessKey and optionally sessionToken. */
public final class S3CredentialsSecret {

    static final String ACCESS_KEY_ID = "accessKeyId";
    static final String SECRET_ACCESS_KEY = "secretAccessKey";
    static final String SESSION_TOKEN = "sessionToken";

    private S3CredentialsSecret() {
    }

    /** @throws IllegalArgumentException naming the Secret and the missing key, never a value */
    public static S3Credentials read(KubernetesClient client, String namespace, String secretName) {
        Secret secret = client.secrets().inNamespace(namespace).withName(secretName).get();
        if (secret == null) {
            throw new IllegalArgumentException("credentials Secret " + namespace + "/" + secretName
                    + " does not exist");
        }
        return new S3Credentials(value(secret, ACCESS_KEY_ID).orElseThrow(() -> missing(secret, ACCESS_KEY_ID)),
                value(secret, SECRET_ACCESS_KEY).orElseThrow(() -> missing(secret, SECRET_ACCESS_KEY)),
                value(secret, SESSION_TOKEN));
    }

    private static IllegalArgumentException missing(Secret secret, String key) {
        return new IllegalArgumentException("credentials Secret " + secret.getMetadata().getName() + " has no key "
                + key + " (it needs " + ACCESS_KEY_ID + " and " + SECRET_ACCESS_KEY + ")");
    }

    private static Optional<String> value(Secret secret, String key) {
        if (secret.getData() != null && secret.getData().get(key) != null) {
            return Optional.of(new String(Base64.getDecoder().decode(secret.getData().get(key)),
                    StandardCharsets.UTF_8).strip()).filter(v -> !v.isEmpty());
        }
        if (secret.getStringData() != null && secret.getStringData().get(key) != null) {
            return Optional.of(secret.getStringData().get(key).strip()).filter(v -> !v.isEmpty());
        }
        return Optional.empty();
    }
}
