package dev.kiln.kilnctl.node;

/** An object named as the AWS CLI names it: {@code s3://bucket/key}. */
record S3ObjectUrl(String bucket, String key) {

    static final String SCHEME = "s3://";

    static boolean looksLikeOne(String text) {
        return text.startsWith(SCHEME);
    }

    /** @throws IllegalArgumentException naming {@code what} when the bucket or the key is missing */
    static S3ObjectUrl parse(String what, String text) {
        if (!looksLikeOne(text)) {
            throw new IllegalArgumentException(what + " " + text + ": not an s3://bucket/key URL");
        }
        String rest = text.substring(SCHEME.length());
        int slash = rest.indexOf('/');
        if (slash <= 0) {
            throw new IllegalArgumentException(what + " " + text + ": missing the bucket or the key (s3://bucket/key)");
        }
        String key = rest.substring(slash + 1);
        if (key.isEmpty() || key.endsWith("/")) {
            throw new IllegalArgumentException(what + " " + text + ": names a folder, not an object"
                    + " (e.g. s3://" + rest.substring(0, slash) + "/backups/etcd.db)");
        }
        return new S3ObjectUrl(rest.substring(0, slash), key);
    }
}
