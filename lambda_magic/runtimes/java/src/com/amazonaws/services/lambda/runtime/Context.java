package com.amazonaws.services.lambda.runtime;

/**
 * What a handler knows about the invocation it is running and the function it belongs to.
 * One context is made for every invocation.
 */
public interface Context {

    /** The request id of this invocation (the same on retries of an asynchronous event). */
    String getAwsRequestId();

    /** The CloudWatch Logs group the function writes to ({@code /aws/lambda/<name>}). */
    String getLogGroupName();

    /** The log stream of this execution environment. */
    String getLogStreamName();

    /** The function's name. */
    String getFunctionName();

    /** The version being run: {@code $LATEST} or a published number. */
    String getFunctionVersion();

    /** The ARN the caller invoked, with its version or alias qualifier when it had one. */
    String getInvokedFunctionArn();

    /** The Amazon Cognito identity of a mobile caller, or null. */
    CognitoIdentity getIdentity();

    /** The client context a mobile caller sent, or null. */
    ClientContext getClientContext();

    /** Milliseconds left before the invocation times out (never negative). */
    int getRemainingTimeInMillis();

    /** The memory configured for the function, in MB. */
    int getMemoryLimitInMB();

    /** The logger that writes to the function's log stream. */
    LambdaLogger getLogger();

    /** The tenant of this invocation when the function uses tenant isolation, else null. */
    default String getTenantId() {
        return null;
    }

    /** The X-Ray trace header of this invocation, or null. */
    default String getXrayTraceId() {
        return null;
    }
}
