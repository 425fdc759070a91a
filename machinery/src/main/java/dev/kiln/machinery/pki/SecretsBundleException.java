package dev.kiln.machinery.pki;

import java.util.List;

/** A secrets bundle document that cannot be used, with every problem named by its YAML path. */
public final class SecretsBundleException extends RuntimeException {

    private final List<String> problems;

    public SecretsBundleException(List<String> problems) {
        super("invalid secrets bundle:\n  " + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    /** Each entry reads "path: message", e.g. "certs.etcd.key: not a valid base64 PEM private key". */
    public List<String> problems() {
        return problems;
    }
}
