package dev.kiln.machinery.config;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Deep copy and JSON equality for plain trees (maps, lists and scalars). */
final class PlainTrees {

    private PlainTrees() {
    }

    static Object deepCopy(Object value) {
        if (value instanceof Map) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            ((Map<?, ?>) value).forEach((key, item) -> copy.put(key, deepCopy(item)));
            return copy;
        }
        if (value instanceof List) {
            List<Object> copy = new ArrayList<>();
            for (Object item : (List<?>) value) {
                copy.add(deepCopy(item));
            }
            return copy;
        }
        return value;
    }

    /** Equality as RFC 6902 {@code test} defines it: numbers by value, objects regardless of member order. */
    static boolean jsonEquals(Object a, Object b) {
        if (a instanceof Number && b instanceof Number) {
            return numbersEqual((Number) a, (Number) b);
        }
        if (a instanceof Map && b instanceof Map) {
            Map<?, ?> left = (Map<?, ?>) a;
            Map<?, ?> right = (Map<?, ?>) b;
            if (left.size() != right.size()) {
                return false;
            }
            for (Map.Entry<?, ?> entry : left.entrySet()) {
                if (!right.containsKey(entry.getKey()) || !jsonEquals(entry.getValue(), right.get(entry.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof List && b instanceof List) {
            List<?> left = (List<?>) a;
            List<?> right = (List<?>) b;
            if (left.size() != right.size()) {
                return false;
            }
            for (int i = 0; i < left.size(); i++) {
                if (!jsonEquals(left.get(i), right.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return Objects.equals(a, b);
    }

    private static boolean numbersEqual(Number a, Number b) {
        if (!isFinite(a) || !isFinite(b)) {
            return Double.compare(a.doubleValue(), b.doubleValue()) == 0;
        }
        return new BigDecimal(a.toString()).compareTo(new BigDecimal(b.toString())) == 0;
    }

    private static boolean isFinite(Number n) {
        return !(n instanceof Double || n instanceof Float) || Double.isFinite(n.doubleValue());
    }
}
