package dev.kiln.operator;

/** A flag or environment variable with a value the operator cannot run with; the message names it. */
public final class SettingsException extends RuntimeException {

    public SettingsException(String message) {
        super(message);
    }
}
