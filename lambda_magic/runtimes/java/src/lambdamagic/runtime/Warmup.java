package lambdamagic.runtime;

import java.nio.charset.StandardCharsets;

/**
 * A training run of the runtime, used once per JDK to record the classes a cold start needs
 * (the class-data sharing archive): every handler named in the arguments but the last is loaded
 * and invoked in this process with sample events; the last is served from the Runtime API as a
 * function's handler would be. Functions never run this class.
 */
final class Warmup {
    private static final String[] EVENTS = {
        "{\"name\":\"Ada\",\"count\":3,\"ratio\":0.5,\"ok\":true,\"tags\":[\"a\",\"b\"],\"nested\":{\"k\":[1,2.5,null]}}",
        "\"text\"", "42", "[1,2,3]", "{}", "{\"fail\":true}", "not json",
    };

    private Warmup() {
    }

    public static void main(String[] args) throws Exception {
        Logger logger = Logger.fromEnvironment();
        RuntimeApi api = new RuntimeApi(System.getenv("AWS_LAMBDA_RUNTIME_API"));
        api.connectInBackground();
        Handlers.Handler served = Bootstrap.init(args[args.length - 1], logger, api);
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        InvocationContext.Environment env = new InvocationContext.Environment(logger);
        for (int i = 0; i < args.length - 1; i++) {
            Handlers.Handler h;
            try {
                h = new HandlerLoader(env, loader).find(args[i]);
            } catch (Fault f) {
                logger.log(f.reportable(), logger.errorLevel());
                continue;
            }
            for (String event : EVENTS) {
                exercise(h, event, logger);
            }
        }
        Bootstrap.loop(served, logger, api);
    }

    private static void exercise(Handlers.Handler h, String event, Logger logger) {
        Invocation inv = new Invocation();
        inv.header("lambda-runtime-aws-request-id", "00000000-0000-0000-0000-000000000000");
        inv.header("lambda-runtime-deadline-ms", Long.toString(System.currentTimeMillis() + 3000));
        inv.header("lambda-runtime-invoked-function-arn", "arn:aws:lambda:us-east-1:000000000000:function:warmup");
        inv.header("lambda-runtime-cognito-identity", "{\"cognitoIdentityId\":\"i\",\"cognitoIdentityPoolId\":\"p\"}");
        inv.header("lambda-runtime-client-context", "{\"client\":{\"app_title\":\"t\"},\"custom\":{},\"env\":{}}");
        inv.body = event.getBytes(StandardCharsets.UTF_8);
        try {
            h.call(inv);
        } catch (Throwable t) {
            Fault.filter(t);
            Fault fault = Fault.of(t);
            if (!(t instanceof Fault)) {
                Fault.errorJson(t);
                Fault.xrayJson(t);
            }
            fault.errorJson();
            logger.log(fault.reportable(), logger.errorLevel());
        }
    }
}
