package lambdamagic.runtime;

import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.LambdaRuntime;
import java.io.File;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOError;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The Java runtime of an execution environment: loads the handler named by the first argument
 * (or {@code _HANDLER}) from the task root, then serves invocations from Lambda's Runtime API
 * ({@code AWS_LAMBDA_RUNTIME_API}) until the environment ends, as Lambda's Java runtime does.
 */
public final class Bootstrap {
    private static final String TRACE_PROPERTY = "com.amazonaws.xray.traceHeader";

    private Bootstrap() {
    }

    /** Run the runtime. */
    public static void main(String[] args) throws Exception {
        String handler = args.length > 0 ? args[0] : System.getenv("_HANDLER");
        Logger logger = Logger.fromEnvironment();
        RuntimeApi api = new RuntimeApi(System.getenv("AWS_LAMBDA_RUNTIME_API"));
        api.connectInBackground();
        Handlers.Handler h = init(handler == null ? "" : handler, logger, api);
        loop(h, logger, api);
    }

    /** Init: standard streams in UTF-8, the logger in place, the handler loaded (or Init fails). */
    static Handlers.Handler init(String handler, Logger logger, RuntimeApi api) throws Exception {
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new FileOutputStream(FileDescriptor.err), false, StandardCharsets.UTF_8));
        Field field = LambdaRuntime.class.getDeclaredField("logger");
        field.setAccessible(true);
        field.set(null, (LambdaLogger) logger);
        ClassLoader loader = taskClassLoader(System.getProperty("user.dir"), "/opt/java");
        Thread.currentThread().setContextClassLoader(loader);
        InvocationContext.Environment env = new InvocationContext.Environment(logger);
        try {
            return new HandlerLoader(env, loader).find(handler);
        } catch (Fault f) {
            logger.log(f.reportable(), logger.errorLevel());
            api.initError(f.errorJson(), "Runtime.BadFunctionCode");
            System.exit(1);
            return null;
        }
    }

    /** The function's classes: the task root, then the jars in its lib/ and in the layers' java/lib/. */
    static ClassLoader taskClassLoader(String taskRoot, String optRoot) throws Exception {
        List<URL> urls = new ArrayList<>();
        urls.add(new File(taskRoot).toURI().toURL());
        jars(new File(taskRoot, "lib"), urls);
        jars(new File(optRoot, "lib"), urls);
        return new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getSystemClassLoader());
    }

    private static void jars(File dir, List<URL> urls) throws Exception {
        String[] names = dir.list();
        if (names == null) {
            return;
        }
        Arrays.sort(names);
        for (String name : names) {
            if (name.length() > 4 && name.endsWith(".jar")) {
                urls.add(new File(dir, name).toURI().toURL());
            }
        }
    }

    /** Serve invocations until a fatal error (out of memory, a broken handler) ends the runtime. */
    static void loop(Handlers.Handler h, Logger logger, RuntimeApi api) throws Exception {
        Invocation inv = api.next();
        while (inv != null) {
            if (inv.xrayTraceId != null) {
                System.setProperty(TRACE_PROPERTY, inv.xrayTraceId);
            } else {
                System.clearProperty(TRACE_PROPERTY);
            }
            byte[] response;
            try {
                response = h.call(inv);
            } catch (Throwable t) {
                inv = failed(inv, t, logger, api);
                continue;
            }
            Thread.interrupted();  // a flag the handler left set must not break the next wait
            if (response.length <= RuntimeApi.MAX_PIPELINED) {
                inv = api.respondAndNext(inv.id, response);
                continue;
            }
            try {
                api.respond(inv.id, response);
            } catch (RuntimeApi.ApiException e) {
                inv = failed(inv, e, logger, api);
                continue;
            }
            inv = api.next();
        }
    }

    /** Report an invocation's error and log it; the next event, or null when the runtime must end. */
    private static Invocation failed(Invocation inv, Throwable t, Logger logger, RuntimeApi api) throws Exception {
        Fault.filter(t);
        Fault fault = Fault.of(t);
        boolean exit = t instanceof VirtualMachineError || t instanceof IOError || fault.fatal;
        try {
            if (t instanceof Fault) {
                api.error(inv.id, fault.errorJson(), "Runtime.BadFunctionCode", null);
            } else {
                api.error(inv.id, Fault.errorJson(t), "Runtime.UserException", Fault.xrayJson(t));
            }
        } finally {
            logger.log(fault.reportable(), logger.errorLevel());
        }
        return exit ? null : api.next();
    }
}
