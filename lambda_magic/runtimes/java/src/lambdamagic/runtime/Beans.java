package lambdamagic.runtime;

import java.lang.reflect.AccessibleObject;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The JSON properties of a class, found as the Java runtime's serializer finds them: public
 * getters ({@code getX()}, {@code isX()} for {@code boolean}) and public fields to read,
 * setters of any visibility and public fields to write, record components for records; names
 * follow the JavaBeans rule ({@code getURL} is {@code URL}, {@code getName} is {@code name}),
 * and properties come in the order of the fields they are named after, then the others.
 */
final class Beans {
    private static final Map<Class<?>, Beans> CACHE = new ConcurrentHashMap<>();

    /** A property: how to read it or write it, and its declared type. */
    static final class Property {
        final String name;
        final Type type;
        private final Method method;
        private final Field field;

        Property(String name, Type type, Method method, Field field) {
            this.name = name;
            this.type = type;
            this.method = method;
            this.field = field;
        }

        Object get(Object target) {
            try {
                return method != null ? method.invoke(target) : field.get(target);
            } catch (InvocationTargetException e) {
                throw new IllegalStateException(e.getCause());
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }

        void set(Object target, Object value) {
            try {
                if (method != null) {
                    method.invoke(target, value);
                } else {
                    field.set(target, value);
                }
            } catch (InvocationTargetException e) {
                throw new IllegalStateException(e.getCause());
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Properties named after fields first, in the fields' order; the others after them. */
    private static final class FieldOrder implements Comparator<Property> {
        private final Map<String, Integer> order;

        FieldOrder(Map<String, Integer> order) {
            this.order = order;
        }

        @Override
        public int compare(Property a, Property b) {
            return Integer.compare(order.getOrDefault(a.name, Integer.MAX_VALUE),
                    order.getOrDefault(b.name, Integer.MAX_VALUE));
        }
    }

    final List<Property> readable;
    final Map<String, Property> writable;
    final Constructor<?> constructor;  // the no-argument one, or a record's canonical one
    final RecordComponent[] components;  // null unless a record

    private Beans(Class<?> c) {
        components = c.isRecord() ? c.getRecordComponents() : null;
        if (components != null) {
            readable = new ArrayList<>();
            writable = new LinkedHashMap<>();
            Class<?>[] types = new Class<?>[components.length];
            for (int i = 0; i < components.length; i++) {
                RecordComponent rc = components[i];
                types[i] = rc.getType();
                Property p = new Property(rc.getName(), rc.getGenericType(), open(rc.getAccessor()), null);
                readable.add(p);
                writable.put(p.name, p);
            }
            constructor = open(find(c, types));
            return;
        }
        Map<String, Integer> order = fieldOrder(c);
        Map<String, Property> getters = new LinkedHashMap<>();
        writable = new HashMap<>();
        for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
            for (Method m : k.getDeclaredMethods()) {
                accessor(m, getters);
            }
        }
        for (Field f : publicFields(c)) {
            getters.putIfAbsent(f.getName(), new Property(f.getName(), f.getGenericType(), null, f));
            if (!Modifier.isFinal(f.getModifiers())) {
                writable.putIfAbsent(f.getName(), new Property(f.getName(), f.getGenericType(), null, f));
            }
        }
        readable = new ArrayList<>(getters.values());
        readable.sort(new FieldOrder(order));
        constructor = open(find(c));
    }

    /** The properties of {@code c} (computed once per class). */
    static Beans of(Class<?> c) {
        Beans b = CACHE.get(c);
        if (b == null) {
            b = new Beans(c);
            CACHE.put(c, b);
        }
        return b;
    }

    /** Whether values of {@code c} are written as their {@code toString()}. */
    static boolean isStringLike(Class<?> c) {
        String name = c.getName();
        return name.startsWith("java.time.") || c == java.util.UUID.class || c == java.net.URI.class
                || c == java.net.URL.class || c == java.util.Locale.class || c == java.util.Currency.class
                || c == java.util.regex.Pattern.class || java.nio.charset.Charset.class.isAssignableFrom(c);
    }

    private void accessor(Method m, Map<String, Property> getters) {
        int mod = m.getModifiers();
        if (Modifier.isStatic(mod) || m.isBridge() || m.isSynthetic()) {
            return;
        }
        String n = m.getName();
        int params = m.getParameterCount();
        if (params == 0 && Modifier.isPublic(mod) && m.getReturnType() != void.class) {
            String prop = null;
            if (n.startsWith("get") && n.length() > 3 && !n.equals("getClass")) {
                prop = decapitalize(n.substring(3));
            } else if (n.startsWith("is") && n.length() > 2 && m.getReturnType() == boolean.class) {
                prop = decapitalize(n.substring(2));
            }
            if (prop != null && !getters.containsKey(prop)) {
                getters.put(prop, new Property(prop, m.getGenericReturnType(), open(m), null));
            }
        } else if (params == 1 && n.startsWith("set") && n.length() > 3) {
            String prop = decapitalize(n.substring(3));
            if (!writable.containsKey(prop)) {
                writable.put(prop, new Property(prop, m.getGenericParameterTypes()[0], open(m), null));
            }
        }
    }

    private static List<Field> publicFields(Class<?> c) {
        List<Field> out = new ArrayList<>();
        for (Field f : c.getFields()) {
            int mod = f.getModifiers();
            if (!Modifier.isStatic(mod) && !Modifier.isTransient(mod)) {
                out.add(open(f));
            }
        }
        return out;
    }

    private static Map<String, Integer> fieldOrder(Class<?> c) {
        List<Class<?>> chain = new ArrayList<>();
        for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
            chain.add(0, k);
        }
        Map<String, Integer> order = new HashMap<>();
        for (Class<?> k : chain) {
            for (Field f : k.getDeclaredFields()) {
                if (!Modifier.isStatic(f.getModifiers())) {
                    order.putIfAbsent(f.getName(), order.size());
                }
            }
        }
        return order;
    }

    /** JavaBeans' rule: {@code Name} becomes {@code name}, but {@code URL} stays {@code URL}. */
    static String decapitalize(String s) {
        if (s.length() > 1 && Character.isUpperCase(s.charAt(1)) && Character.isUpperCase(s.charAt(0))) {
            return s;
        }
        char first = s.charAt(0);
        return Character.isUpperCase(first) ? Character.toLowerCase(first) + s.substring(1) : s;
    }

    private static Constructor<?> find(Class<?> c, Class<?>... params) {
        try {
            return c.getDeclaredConstructor(params);
        } catch (NoSuchMethodException | SecurityException e) {
            return null;
        }
    }

    private static <T extends AccessibleObject> T open(T member) {
        if (member != null) {
            try {
                member.setAccessible(true);
            } catch (RuntimeException e) {
                // a JDK class: only its public members of public classes can be used
            }
        }
        return member;
    }
}
