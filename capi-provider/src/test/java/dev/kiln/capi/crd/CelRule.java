package dev.kiln.capi.crd;

import java.util.regex.Pattern;

/**
 * One {@code x-kubernetes-validations} entry of a committed CRD.
 *
 * @param crd the CRD's file name in crds/
 * @param path where the rule sits in the schema, as {@code .spec.replicas}; {@code [*]} stands for any list item
 */
record CelRule(String crd, String path, String rule, String message, String fieldPath, String reason,
        boolean optionalOldSelf) {

    private static final Pattern OLD_SELF = Pattern.compile("\\boldSelf\\b");

    /** Kubernetes runs a rule that reads oldSelf only on updates, when the old object had a value here. */
    boolean isTransition() {
        return OLD_SELF.matcher(rule).find();
    }

    /** The field an API server names in the refusal: the rule's place, narrowed by its fieldPath. */
    String reportedField() {
        String field = path + (fieldPath == null ? "" : fieldPath);
        return field.startsWith(".") ? field.substring(1) : field;
    }

    @Override
    public String toString() {
        return crd + " " + path + ": " + message;
    }
}
