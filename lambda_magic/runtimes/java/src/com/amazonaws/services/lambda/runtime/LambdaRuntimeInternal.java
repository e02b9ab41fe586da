package com.amazonaws.services.lambda.runtime;

/** A switch logging libraries' Lambda appenders set when they are in use. */
public final class LambdaRuntimeInternal {

    private static boolean useLog4jAppender;

    private LambdaRuntimeInternal() {
    }

    /** Say whether a Log4j appender for Lambda is installed. */
    public static void setUseLog4jAppender(boolean useLog4j) {
        useLog4jAppender = useLog4j;
    }

    /** Whether a Log4j appender for Lambda is installed. */
    public static boolean getUseLog4jAppender() {
        return useLog4jAppender;
    }
}
