"""Java sources of the functions the Java runtime's tests run (one class per constant)."""

FORMS = """
package forms;

import com.amazonaws.services.lambda.runtime.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

public class Forms {
    public Map<String, Object> withContext(Map<String, Object> event, Context context) {
        event.put("function", context.getFunctionName());
        return event;
    }

    public String upper(String text) {
        return text.toUpperCase();
    }

    public static int twice(int n) {
        return 2 * n;
    }

    public void nothing(Map<String, Object> event) {
        System.out.println("nothing returned for " + event);
    }

    public String onlyContext(Context context) {
        return context.getFunctionName();
    }

    public String noArguments() {
        return "no arguments";
    }

    public void streams(InputStream in, OutputStream out, Context context) throws IOException {
        String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        out.write(("{\\"wrapped\\":" + text + "}").getBytes(StandardCharsets.UTF_8));
    }

    public void outputOnly(OutputStream out) throws IOException {
        out.write("[1,2]".getBytes(StandardCharsets.UTF_8));
    }

    public List<Integer> doubled(List<Integer> items) {
        List<Integer> out = new ArrayList<>();
        for (int i : items) {
            out.add(2 * i);
        }
        return out;
    }

    public String overloaded(String text) {
        return "without context";
    }

    public String overloaded(String text, Context context) {
        return "with context";
    }
}
"""

MAP_HANDLER = """
package forms;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.LinkedHashMap;
import java.util.Map;

public class MapHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("received", event);
        out.put("types", event.get("n").getClass().getSimpleName() + "/"
                + event.get("x").getClass().getSimpleName());
        return out;
    }
}
"""

COPY = """
package forms;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

public class Copy implements RequestStreamHandler {
    @Override
    public void handleRequest(InputStream in, OutputStream out, Context context) throws IOException {
        byte[] data = in.readAllBytes();
        for (int i = data.length - 1; i >= 0; i--) {
            out.write(data[i]);
        }
    }
}
"""

VOID_HANDLER = """
package forms;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;

public class VoidHandler implements RequestHandler<String, Void> {
    @Override
    public Void handleRequest(String input, Context context) {
        System.out.println("void got " + input);
        return null;
    }
}
"""

POJOS = """
package forms;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

public class Pojos implements RequestHandler<Pojos.Order, Pojos.Receipt> {
    public enum Size { SMALL, LARGE }

    public static class Item {
        private String sku;
        private int quantity;
        public String getSku() { return sku; }
        public void setSku(String sku) { this.sku = sku; }
        public int getQuantity() { return quantity; }
        public void setQuantity(int quantity) { this.quantity = quantity; }
    }

    public static class Order {
        private String orderId;
        private List<Item> items;
        private BigDecimal total;
        private boolean express;
        private Size size;
        private Map<String, Integer> counts;
        public String note;
        public String getOrderId() { return orderId; }
        public void setOrderId(String orderId) { this.orderId = orderId; }
        public List<Item> getItems() { return items; }
        public void setItems(List<Item> items) { this.items = items; }
        public BigDecimal getTotal() { return total; }
        public void setTotal(BigDecimal total) { this.total = total; }
        public boolean isExpress() { return express; }
        public void setExpress(boolean express) { this.express = express; }
        public Size getSize() { return size; }
        public void setSize(Size size) { this.size = size; }
        public Map<String, Integer> getCounts() { return counts; }
        public void setCounts(Map<String, Integer> counts) { this.counts = counts; }
    }

    public record Receipt(String orderId, int lines, BigDecimal total, boolean express,
                          Size size, List<String> skus, String missing, Order order) {
    }

    @Override
    public Receipt handleRequest(Order order, Context context) {
        List<String> skus = new ArrayList<>();
        int lines = 0;
        for (Item item : order.getItems()) {
            skus.add(item.getSku() + "x" + item.getQuantity());
            lines++;
        }
        return new Receipt(order.getOrderId(), lines, order.getTotal(), order.isExpress(),
                order.getSize(), skus, null, order);
    }
}
"""

THROWER = """
package errors;

import com.amazonaws.services.lambda.runtime.Context;
import java.io.IOException;
import java.util.Map;

public class Thrower {
    public String fail(Map<String, Object> event, Context context) {
        try {
            Integer.parseInt("not a number");
        } catch (NumberFormatException e) {
            throw new IllegalStateException("could not read the count", e);
        }
        return "unreachable";
    }

    public String checked(Map<String, Object> event) throws IOException {
        throw new IOException("disk on fire");
    }

    public String noMessage(Map<String, Object> event) {
        throw new UnsupportedOperationException();
    }

    public int number(int n) {
        return n;
    }
}
"""

BROKEN = """
package errors;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;

public class Broken {
    public static class StaticInit implements RequestHandler<Map<String, Object>, String> {
        static final int VALUE = Integer.parseInt(System.getenv().getOrDefault("MISSING_SETTING", "x"));

        @Override
        public String handleRequest(Map<String, Object> event, Context context) {
            return "never";
        }
    }

    public static class BadConstructor implements RequestHandler<Map<String, Object>, String> {
        public BadConstructor() {
            throw new IllegalArgumentException("no configuration");
        }

        @Override
        public String handleRequest(Map<String, Object> event, Context context) {
            return "never";
        }
    }

    public static class NoDefault implements RequestHandler<Map<String, Object>, String> {
        public NoDefault(String setting) {
        }

        @Override
        public String handleRequest(Map<String, Object> event, Context context) {
            return "never";
        }
    }

    public static class Generic<T> implements RequestHandler<T, String> {
        @Override
        public String handleRequest(T event, Context context) {
            return "never";
        }
    }

    public static class NotAHandler {
    }
}
"""

HOG = """
package mem;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

public class Hog {
    private static final int MB = 1024 * 1024;

    public int array(Map<String, Integer> event) {
        return new byte[event.get("mb") * MB].length / MB;
    }

    public int chunks(Map<String, Integer> event) {
        List<byte[]> kept = new ArrayList<>();
        for (int i = 0; i < event.get("mb"); i++) {
            kept.add(new byte[MB]);
        }
        return kept.size();
    }

    public long maxHeap() {
        return Runtime.getRuntime().maxMemory();
    }
}
"""

PROBE = """
package probe;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import java.util.LinkedHashMap;
import java.util.Map;

public class Probe {
    public Map<String, Object> handle(Map<String, Object> event, Context context) throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("awsRequestId", context.getAwsRequestId());
        out.put("logGroupName", context.getLogGroupName());
        out.put("logStreamName", context.getLogStreamName());
        out.put("functionName", context.getFunctionName());
        out.put("functionVersion", context.getFunctionVersion());
        out.put("invokedFunctionArn", context.getInvokedFunctionArn());
        out.put("memoryLimitInMB", context.getMemoryLimitInMB());
        out.put("xrayTraceId", context.getXrayTraceId());
        out.put("tenantId", context.getTenantId());
        out.put("traceProperty", System.getProperty("com.amazonaws.xray.traceHeader"));
        out.put("loggerIsTheRuntimes", context.getLogger() == com.amazonaws.services.lambda.runtime.LambdaRuntime.getLogger());
        CognitoIdentity identity = context.getIdentity();
        if (identity != null) {
            out.put("identityId", identity.getIdentityId());
            out.put("identityPoolId", identity.getIdentityPoolId());
        }
        ClientContext client = context.getClientContext();
        if (client != null) {
            out.put("appTitle", client.getClient().getAppTitle());
            out.put("installationId", client.getClient().getInstallationId());
            out.put("custom", client.getCustom());
            out.put("environment", client.getEnvironment());
        }
        int first = context.getRemainingTimeInMillis();
        Thread.sleep(((Number) event.getOrDefault("sleepMs", 0)).longValue());
        out.put("remainingFirst", first);
        out.put("remainingSecond", context.getRemainingTimeInMillis());
        out.put("property", System.getProperty("probe.setting"));
        return out;
    }
}
"""

LOGS = """
package logs;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.LambdaRuntime;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import java.nio.charset.StandardCharsets;
import java.util.Map;

public class Logs {
    static {
        LambdaRuntime.getLogger().log("from the static initializer\\n");
    }

    public String handle(Map<String, Object> event, Context context) {
        LambdaLogger logger = context.getLogger();
        logger.log("first line\\nsecond line\\n");
        logger.log("no newline");
        logger.log(" then more\\n");
        logger.log("at info\\n", LogLevel.INFO);
        logger.log("at debug\\n", LogLevel.DEBUG);
        logger.log("bytes: \\u00e9t\\u00e9\\n".getBytes(StandardCharsets.UTF_8));
        System.out.println("System.out line");
        System.err.println("System.err line");
        return "logged";
    }
}
"""

COUNTER = """
package forms;

public class Counter {
    private int calls;

    public int next() {
        return ++calls;
    }
}
"""

FAILING = """
package errors;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;

public class Failing implements RequestHandler<Map<String, String>, String> {
    @Override
    public String handleRequest(Map<String, String> event, Context context) {
        throw new IllegalArgumentException(event.get("why"));
    }
}
"""

CONVERSIONS = """
package forms;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

public class Conversions {
    public static class Bean {
        private long id;
        private String URL;
        private double[] scores;
        private Optional<String> nickname;
        private Instant at;
        public transient String secret = "hidden";
        public long getId() { return id; }
        public void setId(long id) { this.id = id; }
        public String getURL() { return URL; }
        public void setURL(String url) { this.URL = url; }
        public double[] getScores() { return scores; }
        public void setScores(double[] scores) { this.scores = scores; }
        public Optional<String> getNickname() { return nickname; }
        public void setNickname(Optional<String> nickname) { this.nickname = nickname; }
        public Instant getAt() { return at; }
        public void setAt(Instant at) { this.at = at; }
    }

    public Bean bean(Bean in) {
        return in;
    }

    public Map<String, Object> described(Map<String, Object> in) {
        Map<String, Object> out = new TreeMap<>();
        for (Map.Entry<String, Object> e : in.entrySet()) {
            Object v = e.getValue();
            out.put(e.getKey(), v == null ? "null" : v.getClass().getName());
        }
        return out;
    }

    public Map<String, Object> written(Map<String, Object> in) {
        Map<String, Object> out = new TreeMap<>();
        out.put("bytes", "hi".getBytes());
        out.put("chars", new char[] {'o', 'k'});
        out.put("date", new Date(1700000000123L));
        out.put("uuid", UUID.fromString("123e4567-e89b-12d3-a456-426614174000"));
        out.put("nan", Double.NaN);
        out.put("big", new BigDecimal("1E+3"));
        out.put("set", Set.of(7));
        out.put("empty", Optional.empty());
        out.put("text", "quote \\" backslash \\\\ tab \\t nul \\u0000 \\u00e9 \\ud83d\\ude00");
        return out;
    }

    public int[] lenient(List<Integer> in) {
        int[] out = new int[in.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = in.get(i);
        }
        return out;
    }
}
"""

SHOUTING = """
package custom;

import com.amazonaws.services.lambda.runtime.CustomPojoSerializer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;

public class Shouting implements CustomPojoSerializer {
    @Override
    @SuppressWarnings("unchecked")
    public <T> T fromJson(InputStream input, Type type) {
        try {
            return (T) ("from " + type.getTypeName() + ": " + new String(input.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public <T> T fromJson(String input, Type type) {
        return fromJson(new java.io.ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), type);
    }

    @Override
    public <T> void toJson(T value, OutputStream output, Type type) {
        try {
            String text = value.toString().toUpperCase().replace('"', '\\'');
            output.write(("\\"" + text + "\\"").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
"""

ECHO_TEXT = """
package custom;

public class EchoText {
    public String handle(String text) {
        return text;
    }
}
"""
