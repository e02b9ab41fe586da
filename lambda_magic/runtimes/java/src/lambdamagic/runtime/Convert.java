package lambdamagic.runtime;

import java.lang.reflect.Array;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns the values {@link JsonReader} reads into the types a handler declares, with the
 * leniency of the Java runtime's serializer: numbers and strings convert into each other,
 * a one-element array is accepted for a single value and a single value for an array, an empty
 * string or array is null for an object, unknown properties are ignored, null is 0 or false for
 * primitives, and {@code Object} receives maps, lists, strings, numbers and booleans.
 */
final class Convert {
    private Convert() {
    }

    /** {@code json} as a value of {@code type}. */
    static Object to(Object json, Type type) {
        return to(json, type, null);
    }

    static Object to(Object json, Type type, Map<TypeVariable<?>, Type> env) {
        if (type instanceof Class) {
            return toClass(json, (Class<?>) type, null, env);
        }
        if (type instanceof ParameterizedType) {
            ParameterizedType pt = (ParameterizedType) type;
            Type[] args = pt.getActualTypeArguments().clone();
            for (int i = 0; i < args.length; i++) {
                args[i] = resolve(args[i], env);
            }
            return toClass(json, (Class<?>) pt.getRawType(), args, env);
        }
        if (type instanceof GenericArrayType) {
            Type component = resolve(((GenericArrayType) type).getGenericComponentType(), env);
            return array(json, component, env);
        }
        return to(json, resolve(type, env), env);
    }

    /** A type variable or wildcard replaced by what it stands for (its bound when unknown). */
    static Type resolve(Type t, Map<TypeVariable<?>, Type> env) {
        while (true) {
            if (t instanceof TypeVariable) {
                Type bound = env != null ? env.get(t) : null;
                t = bound != null ? bound : ((TypeVariable<?>) t).getBounds()[0];
            } else if (t instanceof WildcardType) {
                t = ((WildcardType) t).getUpperBounds()[0];
            } else {
                return t;
            }
        }
    }

    /** How the serializer's messages name a JSON value. */
    static String describe(Object json) {
        return json instanceof Map ? "Object value (token `JsonToken.START_OBJECT`)"
                : json instanceof List ? "Array value (token `JsonToken.START_ARRAY`)"
                : json instanceof String ? "String value ('" + json + "')"
                : json instanceof Boolean ? "Boolean value (" + json + ")"
                : "Number value (" + json + ")";
    }

    static IllegalArgumentException mismatch(Class<?> c, Object json) {
        return new IllegalArgumentException("Cannot deserialize value of type `" + c.getName() + "` from "
                + describe(json));
    }

    private static Object toClass(Object json, Class<?> c, Type[] args, Map<TypeVariable<?>, Type> env) {
        if (c == Object.class || c == Number.class && json instanceof Number) {
            return untyped(json);
        }
        if (json == null) {
            return Scalars.nullValue(c);
        }
        if (c.isArray()) {
            return array(json, c.getComponentType(), env);
        }
        if (Map.class.isAssignableFrom(c) || java.util.Collection.class.isAssignableFrom(c)) {
            return Containers.to(json, c, args, env);
        }
        if (json instanceof List && ((List<?>) json).size() == 1 && !Scalars.isArrayLike(c)) {
            return toClass(((List<?>) json).get(0), c, args, env);  // a single value in an array
        }
        if (c == Optional.class) {
            return Optional.ofNullable(to(json, args != null ? args[0] : Object.class, env));
        }
        Object scalar = Scalars.to(json, c);
        if (scalar != Scalars.NOT_SCALAR) {
            return scalar;
        }
        if ("".equals(json) || json instanceof List && ((List<?>) json).isEmpty()) {
            return null;  // an empty string or array stands for a missing object
        }
        if (!(json instanceof Map)) {
            throw new IllegalArgumentException("Cannot construct instance of `" + c.getName()
                    + "` (although at least one Creator exists): no " + (json instanceof String ? "String" : "scalar")
                    + "-argument constructor/factory method to deserialize from " + describe(json));
        }
        return Pojos.to((Map<?, ?>) json, c, args, env);
    }

    private static Object array(Object json, Type component, Map<TypeVariable<?>, Type> env) {
        if (json == null) {
            return null;
        }
        Class<?> raw = rawClass(component);
        if (raw == byte.class && json instanceof String) {
            return java.util.Base64.getDecoder().decode((String) json);
        }
        if (raw == char.class && json instanceof String) {
            return ((String) json).toCharArray();
        }
        List<?> items = json instanceof List ? (List<?>) json : java.util.Collections.singletonList(json);
        Object out = Array.newInstance(raw, items.size());
        for (int i = 0; i < items.size(); i++) {
            Array.set(out, i, to(items.get(i), component, env));
        }
        return out;
    }

    /** The class behind a type. */
    static Class<?> rawClass(Type t) {
        if (t instanceof Class) {
            return (Class<?>) t;
        }
        if (t instanceof ParameterizedType) {
            return (Class<?>) ((ParameterizedType) t).getRawType();
        }
        if (t instanceof GenericArrayType) {
            return Array.newInstance(rawClass(((GenericArrayType) t).getGenericComponentType()), 0).getClass();
        }
        return rawClass(resolve(t, null));
    }

    /** JSON for {@code Object}: whole numbers stay as read, others become {@code Double}. */
    @SuppressWarnings("unchecked")
    static Object untyped(Object json) {
        if (json instanceof BigDecimal) {
            return ((BigDecimal) json).doubleValue();
        }
        if (json instanceof Map) {
            for (Map.Entry<String, Object> e : ((Map<String, Object>) json).entrySet()) {
                Object v = e.getValue();
                if (v instanceof BigDecimal || v instanceof Map || v instanceof List) {
                    e.setValue(untyped(v));
                }
            }
        } else if (json instanceof List) {
            List<Object> list = (List<Object>) json;
            for (int i = 0; i < list.size(); i++) {
                Object v = list.get(i);
                if (v instanceof BigDecimal || v instanceof Map || v instanceof List) {
                    list.set(i, untyped(v));
                }
            }
        }
        return json;
    }

    static boolean isWhole(Object n) {
        return n instanceof Integer || n instanceof Long || n instanceof BigInteger;
    }
}
