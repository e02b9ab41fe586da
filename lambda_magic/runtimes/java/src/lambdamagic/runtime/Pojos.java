package lambdamagic.runtime;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.util.HashMap;
import java.util.Map;

/** Conversions of JSON objects to records and to classes with bean properties. */
final class Pojos {
    private Pojos() {
    }

    /** {@code json} as an instance of {@code c} (a record, or a class with a no-argument constructor). */
    static Object to(Map<?, ?> json, Class<?> c, Type[] args, Map<TypeVariable<?>, Type> outer) {
        Map<TypeVariable<?>, Type> env = outer;
        TypeVariable<?>[] params = c.getTypeParameters();
        if (params.length > 0) {
            env = new HashMap<>();
            for (int i = 0; i < params.length; i++) {
                env.put(params[i], args != null && i < args.length ? args[i] : params[i].getBounds()[0]);
            }
        }
        if (c.isInterface() || Modifier.isAbstract(c.getModifiers())) {
            throw new IllegalArgumentException("Cannot construct instance of `" + c.getName()
                    + "` (no Creators, like default constructor, exist): abstract types either need to be mapped"
                    + " to concrete types, have custom deserializer, or contain additional type information");
        }
        Beans beans = Beans.of(c);
        if (beans.components != null) {
            return record(json, c, beans, env);
        }
        Constructor<?> k = beans.constructor;
        if (k == null || (c.getEnclosingClass() != null && !Modifier.isStatic(c.getModifiers()))) {
            throw new IllegalArgumentException("Cannot construct instance of `" + c.getName()
                    + "` (no Creators, like default constructor, exist): cannot deserialize from Object value"
                    + " (no delegate- or property-based Creator)");
        }
        Object target = create(k, c);
        for (Map.Entry<?, ?> e : json.entrySet()) {
            Beans.Property p = beans.writable.get(e.getKey());
            if (p != null) {  // unknown properties are ignored
                p.set(target, Convert.to(e.getValue(), p.type, env));
            }
        }
        return target;
    }

    private static Object record(Map<?, ?> json, Class<?> c, Beans beans, Map<TypeVariable<?>, Type> env) {
        Object[] values = new Object[beans.components.length];
        for (int i = 0; i < values.length; i++) {
            Beans.Property p = beans.readable.get(i);
            values[i] = Convert.to(json.get(p.name), p.type, env);
        }
        try {
            return beans.constructor.newInstance(values);
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException("Cannot construct instance of `" + c.getName()
                    + "`, problem: " + e.getCause().getMessage(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("Cannot construct instance of `" + c.getName() + "`", e);
        }
    }

    private static Object create(Constructor<?> k, Class<?> c) {
        try {
            return k.newInstance();
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException("Cannot construct instance of `" + c.getName()
                    + "`, problem: " + e.getCause().getMessage(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("Cannot construct instance of `" + c.getName() + "`", e);
        }
    }
}
