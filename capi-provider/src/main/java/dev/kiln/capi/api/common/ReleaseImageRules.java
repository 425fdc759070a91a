package dev.kiln.capi.api.common;

/** CEL spellings of the node-init release reference every kind takes as {@code releaseImage}, as Upgrade takes it. */
public final class ReleaseImageRules {

    public static final String REFERENCE = "self.matches('^(https|file)://[^@ ]+@sha256:[0-9a-f]{64}$')";
    public static final String REFERENCE_MESSAGE =
            "releaseImage must be URL@sha256:<64 lowercase hex digits> with an https or file URL";
    public static final int MAX_LENGTH = 2048;

    public static final String IN_PLACE_ONLY = "!has(self.releaseImage) || !has(self.rolloutStrategy) "
            + "|| !has(self.rolloutStrategy.type) || self.rolloutStrategy.type == 'InPlace'";
    public static final String IN_PLACE_ONLY_MESSAGE = "releaseImage is installed in place: it needs "
            + "rolloutStrategy.type InPlace (RollingUpdate and OnDelete replace machines, which installs no release)";

    private ReleaseImageRules() {
    }
}
