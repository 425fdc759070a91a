package dev.kiln.machinery.pki;

import java.security.SecureRandom;
import java.util.regex.Pattern;

/** Tokens of the Kubernetes bootstrap-token form {@code [a-z0-9]{6}.[a-z0-9]{16}}. */
public final class BootstrapToken {

    private static final Pattern FORM = Pattern.compile("[a-z0-9]{6}\\.[a-z0-9]{16}");
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

    private BootstrapToken() {
    }

    public static String generate(SecureRandom random) {
        return randomChars(random, 6) + "." + randomChars(random, 16);
    }

    public static boolean isValid(String token) {
        return token != null && FORM.matcher(token).matches();
    }

    /** Returns the token, or throws if it is not of the bootstrap-token form. */
    public static String require(String token) {
        if (!isValid(token)) {
            throw new IllegalArgumentException("token must match " + FORM.pattern());
        }
        return token;
    }

    private static String randomChars(SecureRandom random, int count) {
        StringBuilder text = new StringBuilder(count);
        for (int i = 0; i < count; i++) {
            text.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return text.toString();
    }
}
