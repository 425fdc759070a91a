package dev.kiln.machinery.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The syntax of an RFC 6901 JSON Pointer: its tokens, unescaped. Kept beside zjsonpatch because that library's pointer
 * (7.5.2) decodes tokens twice and accepts array indexes with leading zeros, and because patch policies and error
 * messages need the tokens themselves.
 */
final class JsonPointer {

    static final String APPEND_TOKEN = "-";

    private final String text;
    private final List<String> tokens;

    private JsonPointer(String text, List<String> tokens) {
        this.text = text;
        this.tokens = Collections.unmodifiableList(tokens);
    }

    /** @throws IllegalArgumentException when {@code text} is not a JSON pointer */
    static JsonPointer parse(String text) {
        if (text.isEmpty()) {
            return new JsonPointer(text, List.of());
        }
        if (text.charAt(0) != '/') {
            throw new IllegalArgumentException("must be empty or start with '/'");
        }
        List<String> tokens = new ArrayList<>();
        for (String escaped : text.substring(1).split("/", -1)) {
            tokens.add(unescape(escaped));
        }
        return new JsonPointer(text, tokens);
    }

    // Decoding ~1 before ~0 would turn "~01" into "/" instead of "~1"; a single left-to-right pass avoids that.
    private static String unescape(String token) {
        StringBuilder out = new StringBuilder(token.length());
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c != '~') {
                out.append(c);
                continue;
            }
            char next = i + 1 < token.length() ? token.charAt(i + 1) : 0;
            if (next == '0') {
                out.append('~');
            } else if (next == '1') {
                out.append('/');
            } else {
                throw new IllegalArgumentException("'~' must be followed by 0 or 1");
            }
            i++;
        }
        return out.toString();
    }

    boolean isRoot() {
        return tokens.isEmpty();
    }

    List<String> tokens() {
        return tokens;
    }

    /** The pointer to the containing object or array; only for non-root pointers. */
    JsonPointer parent() {
        int slash = text.lastIndexOf('/');
        return new JsonPointer(text.substring(0, slash), tokens.subList(0, tokens.size() - 1));
    }

    /** The last reference token, unescaped; only for non-root pointers. */
    String lastToken() {
        return tokens.get(tokens.size() - 1);
    }

    boolean isProperPrefixOf(JsonPointer other) {
        return other.tokens.size() > tokens.size() && other.tokens.subList(0, tokens.size()).equals(tokens);
    }

    /** The array index a token names, or -1 if it is not a non-negative decimal without leading zeros. */
    static int arrayIndex(String token) {
        if (token.isEmpty() || token.length() > 9 || (token.length() > 1 && token.charAt(0) == '0')) {
            return -1;
        }
        for (int i = 0; i < token.length(); i++) {
            if (token.charAt(i) < '0' || token.charAt(i) > '9') {
                return -1;
            }
        }
        return Integer.parseInt(token);
    }

    /**
     * The text to hand zjsonpatch: each token escaped twice, since that library unescapes twice (once while splitting
     * the pointer and once more when it builds each token).
     */
    String libraryText() {
        StringBuilder out = new StringBuilder();
        for (String token : tokens) {
            out.append('/').append(escape(escape(token)));
        }
        return out.toString();
    }

    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof JsonPointer && ((JsonPointer) other).tokens.equals(tokens);
    }

    @Override
    public int hashCode() {
        return tokens.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
