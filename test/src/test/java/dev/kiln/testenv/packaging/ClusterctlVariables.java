package dev.kiln.testenv.packaging;

import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Substitutes variables as clusterctl does: {@code ${VAR}}, {@code ${VAR:=default}} and {@code ${VAR:-default}};
 * a variable with neither a value nor a default is an error naming every such variable.
 */
final class ClusterctlVariables {

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::[=-]([^}]*))?}");

    private ClusterctlVariables() {
    }

    static String substitute(String text, Map<String, String> values) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        TreeSet<String> missing = new TreeSet<>();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null || value.isEmpty()) {
                value = m.group(2);
            }
            if (value == null) {
                missing.add(m.group(1));
                value = "";
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("variables without a value or default: " + missing);
        }
        return out.toString();
    }

    /** Every variable the text uses, with its default ({@code null} for none). */
    static Map<String, String> declared(String text) {
        Map<String, String> found = new java.util.TreeMap<>();
        Matcher m = VARIABLE.matcher(text);
        while (m.find()) {
            found.putIfAbsent(m.group(1), m.group(2));
        }
        return found;
    }
}
