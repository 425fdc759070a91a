package dev.kiln.operator;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** The default identity of a replica: its hostname (the pod name in Kubernetes) and a random suffix. */
final class Identity {

    private static final String SUFFIX_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final int SUFFIX_LENGTH = 6;

    private Identity() {
    }

    static String generate(Map<String, String> env) {
        return hostname(env) + "-" + suffix();
    }

    private static String hostname(Map<String, String> env) {
        String fromEnv = env.get("HOSTNAME");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv.trim();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "kiln-operator";
        }
    }

    // The suffix keeps two processes on one host (a restart racing its predecessor) from sharing a Lease identity.
    private static String suffix() {
        StringBuilder suffix = new StringBuilder(SUFFIX_LENGTH);
        for (int i = 0; i < SUFFIX_LENGTH; i++) {
            suffix.append(SUFFIX_CHARS.charAt(ThreadLocalRandom.current().nextInt(SUFFIX_CHARS.length())));
        }
        return suffix.toString();
    }
}
