package lambdamagic.runtime;

/** One event from {@code GET /runtime/invocation/next}: its headers and its body. */
final class Invocation {
    String id;
    String invokedFunctionArn;
    long deadlineMs;
    String xrayTraceId;
    String clientContext;
    String cognitoIdentity;
    String tenantId;
    byte[] body;

    /** Take one response header of the {@code /next} answer ({@code name} in lower case). */
    void header(String name, String value) {
        switch (name) {
            case "lambda-runtime-aws-request-id":
                id = value;
                break;
            case "lambda-runtime-invoked-function-arn":
                invokedFunctionArn = value;
                break;
            case "lambda-runtime-deadline-ms":
                try {
                    deadlineMs = Long.parseLong(value.trim());
                } catch (NumberFormatException e) {
                    deadlineMs = 0;
                }
                break;
            case "lambda-runtime-trace-id":
                xrayTraceId = value.isEmpty() ? null : value;
                break;
            case "lambda-runtime-client-context":
                clientContext = value.isEmpty() ? null : value;
                break;
            case "lambda-runtime-cognito-identity":
                cognitoIdentity = value.isEmpty() ? null : value;
                break;
            case "lambda-runtime-aws-tenant-id":
                tenantId = value.isEmpty() ? null : value;
                break;
            default:
                break;
        }
    }
}
