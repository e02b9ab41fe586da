package com.amazonaws.services.lambda.runtime;

import java.io.IOException;

/** Access to the runtime's logger outside a handler (in constructors and static code). */
public final class LambdaRuntime {

    private LambdaRuntime() {
    }

    /** Replaced by the runtime at start; this one writes to standard output. */
    private static volatile LambdaLogger logger = new LambdaLogger() {
        @Override
        public void log(String message) {
            System.out.print(message);
        }

        @Override
        public void log(byte[] message) {
            try {
                System.out.write(message);
            } catch (IOException e) {
                e.printStackTrace();
            }
        }
    };

    /** The logger that writes to the function's log stream. */
    public static LambdaLogger getLogger() {
        return logger;
    }
}
