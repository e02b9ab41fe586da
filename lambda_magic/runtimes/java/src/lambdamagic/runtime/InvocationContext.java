package lambdamagic.runtime;

import com.amazonaws.services.lambda.runtime.Client;
import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.util.LinkedHashMap;
import java.util.Map;

/** The {@link Context} of one invocation, with its Cognito identity and client context. */
final class InvocationContext implements Context {
    /** What stays the same for every invocation of this environment. */
    static final class Environment {
        final int memoryLimit;
        final String logGroupName;
        final String logStreamName;
        final String functionName;
        final String functionVersion;
        final Logger logger;

        Environment(Logger logger) {
            String memory = System.getenv("AWS_LAMBDA_FUNCTION_MEMORY_SIZE");
            this.memoryLimit = Integer.parseInt(memory == null ? "128" : memory);
            this.logGroupName = System.getenv("AWS_LAMBDA_LOG_GROUP_NAME");
            this.logStreamName = System.getenv("AWS_LAMBDA_LOG_STREAM_NAME");
            this.functionName = System.getenv("AWS_LAMBDA_FUNCTION_NAME");
            this.functionVersion = System.getenv("AWS_LAMBDA_FUNCTION_VERSION");
            this.logger = logger;
        }
    }

    private final Environment env;
    private final Invocation inv;
    private final CognitoIdentity identity;
    private final ClientContext clientContext;

    InvocationContext(Environment env, Invocation inv) {
        this.env = env;
        this.inv = inv;
        this.identity = inv.cognitoIdentity == null || inv.cognitoIdentity.isEmpty() ? null
                : new Identity(object(inv.cognitoIdentity));
        this.clientContext = inv.clientContext == null || inv.clientContext.isEmpty() ? null
                : new Mobile(object(inv.clientContext));
    }

    private static Map<?, ?> object(String json) {
        Object v = JsonReader.parse(json);
        return v instanceof Map ? (Map<?, ?>) v : new LinkedHashMap<>();
    }

    static String text(Map<?, ?> m, String key) {
        Object v = m == null ? null : m.get(key);
        return v == null || v instanceof Map || v instanceof java.util.List ? null : v.toString();
    }

    static Map<String, String> strings(Object v) {
        if (!(v instanceof Map)) {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
            out.put(e.getKey().toString(), text((Map<?, ?>) v, e.getKey().toString()));
        }
        return out;
    }

    @Override
    public String getAwsRequestId() {
        return inv.id;
    }

    @Override
    public String getLogGroupName() {
        return env.logGroupName;
    }

    @Override
    public String getLogStreamName() {
        return env.logStreamName;
    }

    @Override
    public String getFunctionName() {
        return env.functionName;
    }

    @Override
    public String getFunctionVersion() {
        return env.functionVersion;
    }

    @Override
    public String getInvokedFunctionArn() {
        return inv.invokedFunctionArn;
    }

    @Override
    public CognitoIdentity getIdentity() {
        return identity;
    }

    @Override
    public ClientContext getClientContext() {
        return clientContext;
    }

    @Override
    public int getRemainingTimeInMillis() {
        int delta = (int) (inv.deadlineMs - System.currentTimeMillis());
        return delta > 0 ? delta : 0;
    }

    @Override
    public int getMemoryLimitInMB() {
        return env.memoryLimit;
    }

    @Override
    public LambdaLogger getLogger() {
        return env.logger;
    }

    @Override
    public String getTenantId() {
        return inv.tenantId;
    }

    @Override
    public String getXrayTraceId() {
        return inv.xrayTraceId;
    }

    /** The Cognito identity header ({@code cognitoIdentityId}, {@code cognitoIdentityPoolId}). */
    static final class Identity implements CognitoIdentity {
        private final String id;
        private final String pool;

        Identity(Map<?, ?> json) {
            this.id = text(json, "cognitoIdentityId");
            this.pool = text(json, "cognitoIdentityPoolId");
        }

        @Override
        public String getIdentityId() {
            return id;
        }

        @Override
        public String getIdentityPoolId() {
            return pool;
        }
    }

    /** The client context header ({@code client}, {@code custom}, {@code env}). */
    static final class Mobile implements ClientContext, Client {
        private final Map<?, ?> client;
        private final Map<String, String> custom;
        private final Map<String, String> environment;

        Mobile(Map<?, ?> json) {
            Object c = json.get("client");
            this.client = c instanceof Map ? (Map<?, ?>) c : null;
            this.custom = strings(json.get("custom"));
            this.environment = strings(json.get("env"));
        }

        @Override
        public Client getClient() {
            return client == null ? null : this;
        }

        @Override
        public Map<String, String> getCustom() {
            return custom;
        }

        @Override
        public Map<String, String> getEnvironment() {
            return environment;
        }

        @Override
        public String getInstallationId() {
            return text(client, "installation_id");
        }

        @Override
        public String getAppTitle() {
            return text(client, "app_title");
        }

        @Override
        public String getAppVersionName() {
            return text(client, "app_version_name");
        }

        @Override
        public String getAppVersionCode() {
            return text(client, "app_version_code");
        }

        @Override
        public String getAppPackageName() {
            return text(client, "app_package_name");
        }
    }
}
