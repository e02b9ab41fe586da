package lambdamagic.runtime;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.CustomPojoSerializer;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Type;

/** The shapes a handler takes once loaded: each one, in the end, a stream handler. */
final class Handlers {
    private static final byte[] JSON_NULL = {'n', 'u', 'l', 'l'};

    private Handlers() {
    }

    /** A loaded handler: an invocation's event in, the response's bytes out. */
    interface Handler {
        byte[] call(Invocation inv) throws Throwable;
    }

    /** A handler that could not be loaded: every invocation reports why. */
    static final class FaultHandler implements Handler {
        final Fault fault;

        FaultHandler(Fault fault) {
            this.fault = fault;
        }

        @Override
        public byte[] call(Invocation inv) {
            throw fault;
        }
    }

    /** Runs a stream handler with a new context for every invocation. */
    static final class Streaming implements Handler {
        private final RequestStreamHandler handler;
        private final InvocationContext.Environment environment;
        private final ByteArrayOutputStream output = new ByteArrayOutputStream(1024);

        Streaming(RequestStreamHandler handler, InvocationContext.Environment environment) {
            this.handler = handler;
            this.environment = environment;
        }

        @Override
        public byte[] call(Invocation inv) throws Throwable {
            output.reset();
            InvocationContext ctx = new InvocationContext(environment, inv);
            environment.logger.setContext(ctx);
            handler.handleRequest(new ByteArrayInputStream(inv.body), output, ctx);
            return output.toByteArray();
        }
    }

    /** A handler with typed input and output, run as a stream handler through JSON. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    static final class Pojo implements RequestStreamHandler {
        private final RequestHandler inner;
        private final Type inputType;  // null: the handler takes no event
        private final Type outputType;  // null: the handler returns nothing (null is written)
        private final CustomPojoSerializer custom;

        Pojo(RequestHandler inner, Type inputType, Type outputType, CustomPojoSerializer custom) {
            this.inner = inner;
            this.inputType = inputType;
            this.outputType = outputType;
            this.custom = custom;
        }

        @Override
        public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
            Object event = null;
            try {
                if (inputType != null) {
                    event = custom != null ? custom.fromJson(input, inputType)
                            : Convert.to(JsonReader.parse(input.readAllBytes()), inputType);
                }
            } catch (Throwable t) {
                throw new RuntimeException("An error occurred during JSON parsing", Fault.filter(t));
            }
            Object result;
            try {
                result = inner.handleRequest(event, context);
            } catch (Throwable t) {
                throw Handlers.<RuntimeException>sneaky(Fault.filter(t));
            }
            try {
                if (outputType == null) {
                    output.write(JSON_NULL);
                } else if (custom != null) {
                    custom.toJson(result, output, outputType);
                } else {
                    output.write(JsonWriter.write(result));
                }
            } catch (Throwable t) {
                throw new RuntimeException("An error occurred during JSON serialization of response", t);
            }
        }
    }

    /** A public method taking (event), (event, Context), (Context) or nothing. */
    static final class PojoMethod implements RequestHandler<Object, Object> {
        private final Method method;
        private final Object instance;
        private final boolean takesEvent;
        private final boolean takesContext;

        PojoMethod(Method method, Object instance, boolean takesEvent, boolean takesContext) {
            this.method = method;
            this.instance = instance;
            this.takesEvent = takesEvent;
            this.takesContext = takesContext;
        }

        @Override
        public Object handleRequest(Object input, Context context) {
            Object[] args = new Object[(takesEvent ? 1 : 0) + (takesContext ? 1 : 0)];
            int i = 0;
            if (takesEvent) {
                args[i++] = input;
            }
            if (takesContext) {
                args[i] = context;
            }
            return invoke(method, instance, args);
        }
    }

    /** A public method taking some of (InputStream, OutputStream, Context), in that order. */
    static final class StreamMethod implements RequestStreamHandler {
        private final Method method;
        private final Object instance;
        private final boolean takesInput;
        private final boolean takesOutput;
        private final boolean takesContext;

        StreamMethod(Method method, Object instance, boolean takesInput, boolean takesOutput, boolean takesContext) {
            this.method = method;
            this.instance = instance;
            this.takesInput = takesInput;
            this.takesOutput = takesOutput;
            this.takesContext = takesContext;
        }

        @Override
        public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
            Object[] args = new Object[(takesInput ? 1 : 0) + (takesOutput ? 1 : 0) + (takesContext ? 1 : 0)];
            int i = 0;
            if (takesInput) {
                args[i++] = input;
            } else {
                input.close();
            }
            if (takesOutput) {
                args[i++] = output;
            }
            if (takesContext) {
                args[i] = context;
            }
            invoke(method, instance, args);
            if (!takesOutput) {
                output.write(JSON_NULL);
            }
        }
    }

    static Object invoke(Method method, Object instance, Object[] args) {
        try {
            return method.invoke(instance, args);
        } catch (InvocationTargetException e) {
            throw Handlers.<RuntimeException>sneaky(Fault.filter(e.getCause() != null ? e.getCause() : e));
        } catch (Throwable t) {
            throw Handlers.<RuntimeException>sneaky(Fault.filter(t));
        }
    }

    /** Throw any throwable (checked ones too) as it is. */
    @SuppressWarnings("unchecked")
    static <T extends Throwable> T sneaky(Throwable t) throws T {
        throw (T) t;
    }
}
