package com.amazonaws.services.lambda.runtime;

import com.amazonaws.services.lambda.runtime.logging.LogLevel;

/**
 * Writes records to the function's log stream. One call is one record, so a message with
 * line breaks stays one log event.
 */
public interface LambdaLogger {

    /** Write {@code message} as it is (no prefix, no added newline in text format). */
    void log(String message);

    /** Write raw bytes as one record. */
    void log(byte[] message);

    /** Write {@code message} at {@code logLevel}; records below the configured level are dropped. */
    default void log(String message, LogLevel logLevel) {
        log(message);
    }

    /** Write raw bytes at {@code logLevel}. */
    default void log(byte[] message, LogLevel logLevel) {
        log(message);
    }
}
