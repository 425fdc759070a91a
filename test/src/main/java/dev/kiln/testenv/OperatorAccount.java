package dev.kiln.testenv;

import java.util.Objects;

/**
 * The name an operator process's management API requests are recorded under, apart from other operators', as a
 * service account per clusterctl provider would be in a real management cluster. Test support.
 */
public record OperatorAccount(String name) {

    public OperatorAccount {
        Objects.requireNonNull(name, "name");
        if (!name.matches("[a-z][a-z0-9-]*")) {
            throw new IllegalArgumentException("operator account: lower-case letters, digits and '-', got '" + name + "'");
        }
    }
}
