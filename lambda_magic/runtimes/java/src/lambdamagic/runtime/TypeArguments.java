package lambdamagic.runtime;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.util.HashMap;
import java.util.Map;

/** The type arguments a class gives a generic interface, through its superclasses and interfaces. */
final class TypeArguments {
    private TypeArguments() {
    }

    /** The arguments {@code clazz} gives {@code iface} (type variables it leaves open stay), or null. */
    static Type[] of(Class<?> clazz, Class<?> iface) {
        return search(clazz, new HashMap<TypeVariable<?>, Type>(), iface);
    }

    private static Type[] search(Type type, Map<TypeVariable<?>, Type> env, Class<?> iface) {
        Class<?> raw;
        Map<TypeVariable<?>, Type> here = env;
        if (type instanceof ParameterizedType) {
            ParameterizedType pt = (ParameterizedType) type;
            raw = (Class<?>) pt.getRawType();
            Type[] actual = pt.getActualTypeArguments();
            TypeVariable<?>[] params = raw.getTypeParameters();
            here = new HashMap<>();
            for (int i = 0; i < params.length && i < actual.length; i++) {
                Type a = actual[i];
                here.put(params[i], a instanceof TypeVariable && env.containsKey(a) ? env.get(a) : a);
            }
            if (raw == iface) {
                Type[] out = new Type[params.length];
                for (int i = 0; i < out.length; i++) {
                    out[i] = here.get(params[i]);
                }
                return out;
            }
        } else if (type instanceof Class) {
            raw = (Class<?>) type;
            if (raw == iface) {
                return null;  // implemented raw, without type arguments
            }
        } else {
            return null;
        }
        if (!iface.isAssignableFrom(raw)) {
            return null;
        }
        for (Type t : raw.getGenericInterfaces()) {
            Type[] found = search(t, here, iface);
            if (found != null) {
                return found;
            }
        }
        Type sup = raw.getGenericSuperclass();
        return sup == null ? null : search(sup, here, iface);
    }

    /** Whether a type variable has a bound other than Object. */
    static boolean hasBound(TypeVariable<?> t) {
        for (Type b : t.getBounds()) {
            if (b != Object.class) {
                return true;
            }
        }
        return false;
    }
}
