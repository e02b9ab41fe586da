package lambdamagic.runtime;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.CustomPojoSerializer;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.net.URLClassLoader;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.ServiceLoader;

/**
 * Resolves the handler string ({@code package.Class::method} or {@code package.Class}) as
 * Lambda's Java runtime does: the class is loaded and initialised from the task root at Init
 * (a failure of its static initialiser or constructor is an Init error), while a class that is
 * missing, or a handler that does not fit, is reported at each invocation.
 */
final class HandlerLoader {
    private static final String SERIALIZER_SERVICE = "META-INF/services/" + CustomPojoSerializer.class.getName();

    private final InvocationContext.Environment env;
    private final ClassLoader loader;

    HandlerLoader(InvocationContext.Environment env, ClassLoader loader) {
        this.env = env;
        this.loader = loader;
    }

    /** The handler named by {@code handler}; throws a fatal {@link Fault} for an Init error. */
    Handlers.Handler find(String handler) {
        int colon = handler.lastIndexOf("::");
        String className = colon < 0 ? handler : handler.substring(0, colon);
        String methodName = colon < 0 ? null : handler.substring(colon + 2);
        if (className.isEmpty() || (methodName != null && methodName.isEmpty())) {
            return new Handlers.FaultHandler(Fault.message("Invalid handler: `" + handler + "'"));
        }
        Class<?> clazz;
        try {
            clazz = Class.forName(className, true, loader);
        } catch (ClassNotFoundException e) {
            return new Handlers.FaultHandler(Fault.classNotFound(e, className));
        } catch (NoClassDefFoundError e) {
            return new Handlers.FaultHandler(Fault.initError(e, className));
        } catch (Throwable t) {
            throw Fault.initError(t, className);
        }
        Handlers.Handler h = methodName == null ? byInterface(clazz) : byMethod(clazz, methodName);
        if (h instanceof Handlers.FaultHandler && ((Handlers.FaultHandler) h).fault.fatal) {
            throw ((Handlers.FaultHandler) h).fault;
        }
        return h;
    }

    private Handlers.Handler byInterface(Class<?> clazz) {
        try {
            if (RequestStreamHandler.class.isAssignableFrom(clazz)) {
                return stream((RequestStreamHandler) newInstance(constructor(clazz)));
            }
            if (RequestHandler.class.isAssignableFrom(clazz)) {
                return requestHandler(clazz);
            }
        } catch (Fault f) {
            return new Handlers.FaultHandler(f);
        } catch (Throwable t) {
            return new Handlers.FaultHandler(Fault.of(t));
        }
        return new Handlers.FaultHandler(Fault.message(
                "Class does not implement an appropriate handler interface: " + clazz.getName()));
    }

    private Handlers.Handler requestHandler(Class<?> clazz) throws Exception {
        Type[] types = TypeArguments.of(clazz, RequestHandler.class);
        if (types == null) {
            return new Handlers.FaultHandler(Fault.message("Class " + clazz.getName()
                    + " does not implement RequestHandler with concrete type parameters"));
        }
        if (types.length != 2) {
            return new Handlers.FaultHandler(Fault.message(
                    "Invalid class signature for RequestHandler. Expected two generic types, got " + types.length));
        }
        for (Type t : types) {
            if (t instanceof TypeVariable && !TypeArguments.hasBound((TypeVariable<?>) t)) {
                return new Handlers.FaultHandler(Fault.message("Class " + clazz.getName()
                        + " does not implement RequestHandler with concrete type parameters: parameter "
                        + t + " has no upper bound."));
            }
        }
        RequestHandler<?, ?> instance = (RequestHandler<?, ?>) newInstance(constructor(clazz));
        return pojo(instance, types[0], types[1]);
    }

    private Handlers.Handler pojo(RequestHandler<?, ?> instance, Type input, Type output) {
        CustomPojoSerializer custom = customSerializer();
        return stream(new Handlers.Pojo(instance, input, isVoid(output) ? null : output, custom));
    }

    private Handlers.Handler stream(RequestStreamHandler h) {
        return new Handlers.Streaming(h, env);
    }

    private CustomPojoSerializer customSerializer() {
        // Only the function's own files can declare one: look there alone (asking the JDK's
        // class loaders first would open its module image, milliseconds of every cold start).
        if (loader instanceof URLClassLoader && ((URLClassLoader) loader).findResource(SERIALIZER_SERVICE) == null) {
            return null;
        }
        Iterator<CustomPojoSerializer> found = ServiceLoader.load(CustomPojoSerializer.class, loader).iterator();
        if (!found.hasNext()) {
            return null;
        }
        CustomPojoSerializer first = found.next();
        if (found.hasNext()) {
            throw new IllegalStateException(
                    "Too many serializers provided inside the META-INF/services folder, only one is allowed");
        }
        return first;
    }

    private Handlers.Handler byMethod(Class<?> clazz, String name) {
        Method[] methods;
        try {
            methods = clazz.getMethods();
        } catch (NoClassDefFoundError e) {
            return new Handlers.FaultHandler(new Fault("Error loading method " + name + " on class "
                    + clazz.getName(), e.getClass().getName(), Fault.trace(e), false));
        }
        int n = 0;
        for (Method m : methods) {
            if (m.getName().equals(name)) {
                methods[n++] = m;
            }
        }
        Arrays.sort(methods, 0, n, new Priority());
        for (int i = 0; i < n; i++) {
            Handlers.Handler h = overload(clazz, methods[i]);
            if (h != null) {
                return h;
            }
        }
        return new Handlers.FaultHandler(Fault.message("No public method named " + name
                + " with appropriate method signature found on class " + clazz.getName()));
    }

    /** The handler for one overload, or null (with a note on standard error) when it does not fit. */
    private Handlers.Handler overload(Class<?> clazz, Method m) {
        Type r = m.getGenericReturnType();
        Type[] p = m.getGenericParameterTypes();
        if (p.length == 0) {
            return method(clazz, m, null, r, false);
        }
        if (p.length == 1) {
            if (p[0] == InputStream.class || p[0] == OutputStream.class) {
                return streamMethod(clazz, m, p[0] == InputStream.class, p[0] == OutputStream.class, false);
            }
            return p[0] == Context.class ? method(clazz, m, null, r, true) : method(clazz, m, p[0], r, false);
        }
        if (p.length == 2) {
            if (p[0] == OutputStream.class) {
                if (p[1] == Context.class) {
                    return streamMethod(clazz, m, false, true, true);
                }
                System.err.println("Ignoring two-argument overload because first argument type is OutputStream"
                        + " and second argument type is not Context");
            } else if (p[0] == Context.class) {
                System.err.println("Ignoring two-argument overload because first argument type is Context");
            } else if (p[0] == InputStream.class) {
                if (p[1] == OutputStream.class || p[1] == Context.class) {
                    return streamMethod(clazz, m, true, p[1] == OutputStream.class, p[1] == Context.class);
                }
                System.err.println("Ignoring two-argument overload because second parameter type, "
                        + Convert.rawClass(p[1]).getName() + ", is not OutputStream.");
            } else if (p[1] == Context.class) {
                return method(clazz, m, p[0], r, true);
            } else {
                System.err.println("Ignoring two-argument overload because second parameter type is not Context");
            }
            return null;
        }
        if (p.length == 3) {
            if (p[0] == InputStream.class && p[1] == OutputStream.class && p[2] == Context.class) {
                return streamMethod(clazz, m, true, true, true);
            }
            System.err.println("Ignoring three-argument overload because argument signature is not"
                    + " (InputStream, OutputStream, Context");
            return null;
        }
        System.err.println("Ignoring an overload of method " + m.getName()
                + " because it has too many parameters: Expected at most 3, got " + p.length);
        return null;
    }

    private Handlers.Handler method(Class<?> clazz, Method m, Type input, Type output, boolean context) {
        try {
            Object instance = Modifier.isStatic(m.getModifiers()) ? null : newInstance(constructor(clazz));
            return pojo(new Handlers.PojoMethod(m, instance, input != null, context), input, output);
        } catch (Fault f) {
            return new Handlers.FaultHandler(f);
        } catch (Throwable t) {
            return new Handlers.FaultHandler(Fault.of(t));
        }
    }

    private Handlers.Handler streamMethod(Class<?> clazz, Method m, boolean in, boolean out, boolean context) {
        try {
            if (!isVoid(m.getReturnType())) {
                System.err.println("Will ignore return type " + m.getReturnType() + " on byte stream handler");
            }
            Object instance = Modifier.isStatic(m.getModifiers()) ? null : newInstance(constructor(clazz));
            return stream(new Handlers.StreamMethod(m, instance, in, out, context));
        } catch (Fault f) {
            return new Handlers.FaultHandler(f);
        } catch (Throwable t) {
            return new Handlers.FaultHandler(Fault.of(t));
        }
    }

    static boolean isVoid(Type t) {
        return t == void.class || t instanceof Class && Void.class.isAssignableFrom((Class<?>) t);
    }

    private static Constructor<?> constructor(Class<?> clazz) throws Exception {
        try {
            return clazz.getConstructor();
        } catch (NoSuchMethodException e) {
            if (clazz.getEnclosingClass() != null && !Modifier.isStatic(clazz.getModifiers())) {
                throw new Exception("Class " + clazz.getName()
                        + " cannot be instantiated because it is a non-static inner class");
            }
            throw new Exception("Class " + clazz.getName() + " has no public zero-argument constructor", e);
        }
    }

    /** A new instance; an exception from the constructor is fatal (an Init error). */
    private static Object newInstance(Constructor<?> constructor) {
        try {
            return constructor.newInstance();
        } catch (InvocationTargetException e) {
            throw Fault.of(e.getCause() == null ? e : e.getCause(), true);
        } catch (InstantiationException e) {
            throw Handlers.<RuntimeException>sneaky(e.getCause() == null ? e : e.getCause());
        } catch (IllegalAccessException e) {
            throw Handlers.<RuntimeException>sneaky(e);
        }
    }

    /**
     * The order overloads are tried in: methods before bridges, then longer signatures first,
     * where a last parameter of type Context counts twice.
     */
    private static final class Priority implements Comparator<Method> {
        @Override
        public int compare(Method a, Method b) {
            if (a.isBridge() != b.isBridge()) {
                return a.isBridge() ? 1 : -1;
            }
            return -Integer.compare(weight(a), weight(b));
        }

        private static int weight(Method m) {
            Class<?>[] p = m.getParameterTypes();
            return p.length + (p.length > 0 && p[p.length - 1] == Context.class ? 1 : 0);
        }
    }
}
