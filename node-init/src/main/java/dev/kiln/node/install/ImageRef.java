package dev.kiln.node.install;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;

/** A node-init release as Upgrade names it: {@code URL@sha256:<64 hex>}, the URL https:// or file://. */
public record ImageRef(URI url, String sha256) {

    private static final Pattern DIGEST = Pattern.compile("[0-9a-f]{64}");
    private static final String SEPARATOR = "@sha256:";

    public ImageRef {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("file")) {
            throw new IllegalArgumentException("image: URL must be https:// or file://, not '" + url + "'");
        }
        if (!DIGEST.matcher(sha256).matches()) {
            throw new IllegalArgumentException("image: digest must be sha256:<64 lowercase hex>, not '" + sha256 + "'");
        }
    }

    public static ImageRef parse(String image) {
        if (image == null || image.isBlank()) {
            throw new IllegalArgumentException("image: required, as URL@sha256:<64 hex>");
        }
        int at = image.lastIndexOf(SEPARATOR);
        if (at < 0) {
            throw new IllegalArgumentException("image: '" + image + "' has no @sha256:<digest>; the digest is mandatory");
        }
        try {
            return new ImageRef(new URI(image.substring(0, at)), image.substring(at + SEPARATOR.length()));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("image: malformed URL: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return url + SEPARATOR + sha256;
    }
}
