package dev.kiln.node.boot;

/** What Version reports: the running build and, once installed, the version in the active slot. */
public record VersionInfo(String running, String installed, String activeSlot, boolean maintenance) {

    public static final String RUNNING = "v0.1.0";

    public String tag() {
        return installed == null ? running : installed;
    }
}
