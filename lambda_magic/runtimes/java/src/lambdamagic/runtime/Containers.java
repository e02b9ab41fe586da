package lambdamagic.runtime;

import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.util.AbstractMap;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Queue;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Conversions of JSON objects and arrays to maps and collections of declared element types. */
final class Containers {
    private Containers() {
    }

    /** {@code json} as the map or collection class {@code c} with type arguments {@code args}. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static Object to(Object json, Class<?> c, Type[] args, Map<TypeVariable<?>, Type> env) {
        if ("".equals(json)) {
            return null;
        }
        if (Map.class.isAssignableFrom(c)) {
            if (!(json instanceof Map)) {
                throw Convert.mismatch(c, json);
            }
            Type keyType = args != null && args.length == 2 ? args[0] : String.class;
            Type valueType = args != null && args.length == 2 ? args[1] : Object.class;
            Map<Object, Object> out = (Map<Object, Object>) newMap(c);
            for (Map.Entry<?, ?> e : ((Map<?, ?>) json).entrySet()) {
                out.put(key((String) e.getKey(), keyType, env), Convert.to(e.getValue(), valueType, env));
            }
            return out;
        }
        List<?> items = json instanceof List ? (List<?>) json : Collections.singletonList(json);
        Type itemType = args != null && args.length == 1 ? args[0] : Object.class;
        Collection<Object> out;
        if (EnumSet.class.isAssignableFrom(c)) {
            out = (Collection<Object>) (Collection<?>) EnumSet.noneOf((Class) Convert.rawClass(itemType));
        } else {
            out = (Collection<Object>) newCollection(c);
        }
        for (Object item : items) {
            out.add(Convert.to(item, itemType, env));
        }
        return out;
    }

    private static Object key(String key, Type keyType, Map<TypeVariable<?>, Type> env) {
        Class<?> raw = Convert.rawClass(Convert.resolve(keyType, env));
        if (raw == String.class || raw == Object.class || raw == CharSequence.class) {
            return key;
        }
        return Convert.to(key, keyType, env);
    }

    private static Object newMap(Class<?> c) {
        if (!c.isInterface() && !Modifier.isAbstract(c.getModifiers())) {
            return instantiate(c);
        }
        if (c.isAssignableFrom(LinkedHashMap.class) || c == AbstractMap.class) {
            return new LinkedHashMap<>();
        }
        if (c == SortedMap.class || c == NavigableMap.class) {
            return new TreeMap<>();
        }
        if (c == ConcurrentMap.class) {
            return new ConcurrentHashMap<>();
        }
        throw new IllegalArgumentException("Cannot construct instance of `" + c.getName()
                + "`: abstract types either need to be mapped to concrete types, have custom deserializer,"
                + " or contain additional type information");
    }

    private static Object newCollection(Class<?> c) {
        if (!c.isInterface() && !Modifier.isAbstract(c.getModifiers())) {
            return instantiate(c);
        }
        if (c.isAssignableFrom(ArrayList.class)) {
            return new ArrayList<>();
        }
        if (c == Set.class || c.isAssignableFrom(HashSet.class)) {
            return new HashSet<>();
        }
        if (c == SortedSet.class || c == NavigableSet.class) {
            return new TreeSet<>();
        }
        if (Queue.class.isAssignableFrom(c)) {
            return new ArrayDeque<>();
        }
        throw new IllegalArgumentException("Cannot construct instance of `" + c.getName()
                + "`: abstract types either need to be mapped to concrete types, have custom deserializer,"
                + " or contain additional type information");
    }

    private static Object instantiate(Class<?> c) {
        try {
            Constructor<?> k = c.getDeclaredConstructor();
            k.setAccessible(true);
            return k.newInstance();
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalArgumentException("Cannot construct instance of `" + c.getName()
                    + "` (no Creators, like default constructor, exist)", e);
        }
    }
}
