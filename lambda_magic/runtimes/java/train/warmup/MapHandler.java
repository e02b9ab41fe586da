package warmup;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Training: a map in, a map out, the context, both loggers and an exception. */
public class MapHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        context.getLogger().log("event " + event + " in " + context.getFunctionName() + "\n");
        System.out.println("request " + context.getAwsRequestId() + " " + context.getRemainingTimeInMillis());
        if (event.containsKey("fail")) {
            throw new IllegalStateException("failed on purpose", new IllegalArgumentException("cause"));
        }
        Map<String, Object> out = new HashMap<>();
        out.put("event", event);
        out.put("memory", context.getMemoryLimitInMB());
        out.put("arn", context.getInvokedFunctionArn());
        out.put("list", List.of(1, 2.5, "x", true));
        out.put("identity", context.getIdentity() == null ? null : context.getIdentity().getIdentityId());
        return out;
    }
}
