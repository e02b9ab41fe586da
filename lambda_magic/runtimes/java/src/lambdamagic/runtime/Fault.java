package lambdamagic.runtime;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A failure the runtime reports for the function's code: its message, the class name of the
 * exception behind it (if any), the exception's printed stack trace, and whether it is fatal
 * (reported as an Init error, or ending the runtime after the invocation that hit it).
 * Also builds the error documents Lambda's Java runtime sends.
 */
final class Fault extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private static final String OWN_PACKAGE = "lambdamagic.runtime.";

    final String msg;
    final String exception;
    final String trace;
    final boolean fatal;

    Fault(String msg, String exception, String trace, boolean fatal) {
        super(msg, null, false, false);
        this.msg = msg;
        this.exception = exception;
        this.trace = trace;
        this.fatal = fatal;
    }

    /** The fault of an exception from the function's code ({@code t} itself if it is one). */
    static Fault of(Throwable t) {
        return t instanceof Fault ? (Fault) t : of(t, false);
    }

    static Fault of(Throwable t, boolean fatal) {
        String message = t.getLocalizedMessage() == null ? t.getClass().getName() : t.getLocalizedMessage();
        return new Fault(message, t.getClass().getName(), trace(t), fatal);
    }

    /** A fault that is only a message (no exception class, no stack trace). */
    static Fault message(String msg) {
        return new Fault(msg, null, null, false);
    }

    /** The handler's class failed to load or initialise. */
    static Fault initError(Throwable e, String className) {
        return new Fault("Error loading class " + className + (e.getMessage() == null ? "" : ": " + e.getMessage()),
                e.getClass().getName(), trace(e), true);
    }

    /** The handler's class is not in the task root. */
    static Fault classNotFound(Throwable e, String className) {
        return new Fault("Class not found: " + className, e.getClass().getName(), trace(e), false);
    }

    /** The printed stack trace of {@code t}, without the runtime's own frames. */
    static String trace(Throwable t) {
        filter(t);
        StringWriter sw = new StringWriter();
        t.printStackTrace(new PrintWriter(sw));
        return sw.toString();
    }

    /** Remove the runtime's frames (and every frame below them) from {@code t}, its causes and suppressed ones. */
    static <T extends Throwable> T filter(T t) {
        filter(t, Collections.newSetFromMap(new IdentityHashMap<Throwable, Boolean>()));
        return t;
    }

    private static void filter(Throwable t, Set<Throwable> seen) {
        if (!seen.add(t)) {
            return;
        }
        StackTraceElement[] frames = t.getStackTrace();
        for (int i = 0; i < frames.length; i++) {
            if (frames[i].getClassName().startsWith(OWN_PACKAGE)) {
                StackTraceElement[] kept = new StackTraceElement[i];
                System.arraycopy(frames, 0, kept, 0, i);
                t.setStackTrace(kept);
                break;
            }
        }
        if (t.getCause() != null) {
            filter(t.getCause(), seen);
        }
        for (Throwable s : t.getSuppressed()) {
            filter(s, seen);
        }
    }

    /** The log record of this fault: message, exception class and stack trace. */
    String reportable() {
        if (exception != null || trace != null) {
            return msg + ": " + (exception == null ? "" : exception) + "\n" + (trace == null ? "" : trace) + "\n";
        }
        return msg + "\n";
    }

    /** The error document of this fault: message and type only (no stack trace). */
    byte[] errorJson() {
        JsonWriter w = new JsonWriter(true);
        w.raw('{');
        boolean comma = field(w, "errorMessage", msg, false);
        field(w, "errorType", exception, comma);
        w.raw('}');
        return w.toBytes();
    }

    /** The error document of an exception: message, fully qualified type and stack frames. */
    static byte[] errorJson(Throwable t) {
        String message = t.getLocalizedMessage() == null ? t.getClass().getName() : t.getLocalizedMessage();
        JsonWriter w = new JsonWriter(true);
        w.raw("{\"errorMessage\":");
        w.string(message);
        w.raw(",\"errorType\":");
        w.string(t.getClass().getName());
        w.raw(",\"stackTrace\":[");
        StackTraceElement[] frames = t.getStackTrace();
        for (int i = 0; i < frames.length; i++) {
            if (i > 0) {
                w.raw(',');
            }
            w.string(frames[i].toString());
        }
        w.raw("]}");
        return w.toBytes();
    }

    /** The X-Ray error cause of an exception (the {@code Lambda-Runtime-Function-XRay-Error-Cause} header). */
    static String xrayJson(Throwable t) {
        JsonWriter w = new JsonWriter(true);
        w.raw("{\"working_directory\":");
        w.string(System.getProperty("user.dir"));
        w.raw(",\"exceptions\":[{");
        if (t.getMessage() != null) {
            w.raw("\"message\":");
            w.string(t.getMessage());
            w.raw(',');
        }
        w.raw("\"type\":");
        w.string(t.getClass().getName());
        w.raw(",\"stack\":[");
        Set<String> paths = new LinkedHashSet<>();
        StackTraceElement[] frames = t.getStackTrace();
        for (int i = 0; i < frames.length; i++) {
            String file = fileName(frames[i]);
            paths.add(file);
            w.raw(i > 0 ? ",{\"label\":" : "{\"label\":");
            w.string(frames[i].getMethodName());
            w.raw(",\"path\":");
            w.string(file);
            w.raw(",\"line\":");
            w.raw(Integer.toString(frames[i].getLineNumber()));
            w.raw('}');
        }
        w.raw("]}],\"paths\":[");
        boolean first = true;
        for (String p : paths) {
            if (!first) {
                w.raw(',');
            }
            first = false;
            w.string(p);
        }
        w.raw("]}");
        return new String(w.toBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String fileName(StackTraceElement e) {
        if (e.getFileName() != null) {
            return e.getFileName();
        }
        String c = e.getClassName();
        return c.substring(c.lastIndexOf('.') + 1) + ".java";
    }

    private static boolean field(JsonWriter w, String name, String value, boolean comma) {
        if (value == null) {
            return comma;  // null members are left out
        }
        if (comma) {
            w.raw(',');
        }
        w.raw('"');
        w.raw(name);
        w.raw("\":");
        w.string(value);
        return true;
    }
}
