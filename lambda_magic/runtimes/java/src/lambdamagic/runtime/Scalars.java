package lambdamagic.runtime;

import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Map;

/** Conversions of JSON strings, numbers and booleans to Java's scalar types. */
final class Scalars {
    /** Returned by {@link #to} for a class that is not a scalar type. */
    static final Object NOT_SCALAR = new Object();

    private Scalars() {
    }

    /** What null becomes: 0 or false for a primitive, else null. */
    static Object nullValue(Class<?> c) {
        if (!c.isPrimitive()) {
            return null;
        }
        if (c == boolean.class) {
            return Boolean.FALSE;
        }
        if (c == char.class) {
            return '\0';
        }
        return number(0, c);
    }

    /** Whether {@code c} takes a JSON array as a whole (so a one-element array is not unwrapped). */
    static boolean isArrayLike(Class<?> c) {
        return c.isArray() || Collection.class.isAssignableFrom(c) || Map.class.isAssignableFrom(c);
    }

    /** {@code json} as a {@code c}, or {@link #NOT_SCALAR} when {@code c} is not a scalar type. */
    static Object to(Object json, Class<?> c) {
        if (c == String.class || c == CharSequence.class) {
            if (json instanceof Map || json instanceof List) {
                throw Convert.mismatch(c, json);
            }
            return json instanceof BigDecimal ? ((BigDecimal) json).toString() : json.toString();
        }
        Class<?> box = box(c);
        if (Number.class.isAssignableFrom(box)) {
            return toNumber(json, c, box);
        }
        if (box == Boolean.class) {
            if (json instanceof Boolean) {
                return json;
            }
            if ("true".equals(json) || "false".equals(json)) {
                return Boolean.valueOf((String) json);
            }
            if (Convert.isWhole(json)) {
                return ((Number) json).longValue() != 0;
            }
            if ("".equals(json)) {
                return nullValue(c);
            }
            throw Convert.mismatch(c, json);
        }
        if (box == Character.class) {
            if (json instanceof String && ((String) json).length() == 1) {
                return ((String) json).charAt(0);
            }
            if (json instanceof Integer) {
                return (char) ((Integer) json).intValue();
            }
            throw Convert.mismatch(c, json);
        }
        if (c.isEnum()) {
            return toEnum(json, c);
        }
        return toOther(json, c);
    }

    private static Object toNumber(Object json, Class<?> c, Class<?> box) {
        Number n;
        if (json instanceof Number) {
            n = (Number) json;
        } else if (json instanceof String) {
            String s = ((String) json).trim();
            if (s.isEmpty()) {
                return nullValue(c);
            }
            try {
                n = box == Double.class || box == Float.class ? (Number) Double.valueOf(s) : new BigDecimal(s);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Cannot deserialize value of type `" + c.getName()
                        + "` from String \"" + json + "\": not a valid `" + c.getName() + "` value");
            }
        } else if (json instanceof Boolean) {
            throw new IllegalArgumentException("Cannot coerce `java.lang.Boolean` value (" + json
                    + ") to `" + c.getName() + "` value");
        } else {
            throw Convert.mismatch(c, json);
        }
        return number(n, c);
    }

    /** {@code n} as a number of class {@code c} (primitive or boxed), range checked. */
    static Object number(Number n, Class<?> c) {
        Class<?> box = box(c);
        if (box == Double.class) {
            return n.doubleValue();
        }
        if (box == Float.class) {
            return n.floatValue();
        }
        if (box == BigDecimal.class) {
            return n instanceof BigDecimal ? n : new BigDecimal(n.toString());
        }
        if (box == BigInteger.class) {
            return n instanceof BigDecimal ? ((BigDecimal) n).toBigInteger() : new BigInteger(n.toString());
        }
        if (box == Number.class) {
            return n;
        }
        BigInteger whole = n instanceof BigDecimal ? ((BigDecimal) n).toBigInteger()
                : n instanceof BigInteger ? (BigInteger) n : BigInteger.valueOf(n.longValue());
        long min = box == Integer.class ? Integer.MIN_VALUE : box == Short.class ? Short.MIN_VALUE
                : box == Byte.class ? Byte.MIN_VALUE : Long.MIN_VALUE;
        long max = box == Integer.class ? Integer.MAX_VALUE : box == Short.class ? Short.MAX_VALUE
                : box == Byte.class ? Byte.MAX_VALUE : Long.MAX_VALUE;
        if (whole.bitLength() > 63 || whole.longValue() < min || whole.longValue() > max) {
            throw new IllegalArgumentException("Numeric value (" + n + ") out of range of "
                    + (c.isPrimitive() ? c.getName() : box.getSimpleName()) + " (" + min + " - " + max + ")");
        }
        long v = whole.longValue();
        if (box == Integer.class) {
            return (int) v;
        }
        if (box == Short.class) {
            return (short) v;
        }
        if (box == Byte.class) {
            return (byte) v;
        }
        return v;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object toEnum(Object json, Class<?> c) {
        Object[] constants = c.getEnumConstants();
        if (json instanceof String) {
            for (Object e : constants) {
                if (((Enum) e).name().equals(json)) {
                    return e;
                }
            }
            return null;  // an unknown name reads as null
        }
        if (json instanceof Integer) {
            int i = (Integer) json;
            return i >= 0 && i < constants.length ? constants[i] : null;
        }
        throw Convert.mismatch(c, json);
    }

    private static Object toOther(Object json, Class<?> c) {
        if (c == Date.class) {
            if (json instanceof Number) {
                return new Date(((Number) json).longValue());
            }
            if (json instanceof String) {
                return Date.from(java.time.Instant.parse((String) json));
            }
            throw Convert.mismatch(c, json);
        }
        if (!Beans.isStringLike(c)) {
            return NOT_SCALAR;
        }
        if (c == java.time.Instant.class && json instanceof Number) {
            BigDecimal seconds = json instanceof BigDecimal ? (BigDecimal) json : new BigDecimal(json.toString());
            long whole = seconds.longValue();
            long nanos = seconds.subtract(BigDecimal.valueOf(whole)).movePointRight(9).longValue();
            return java.time.Instant.ofEpochSecond(whole, nanos);
        }
        if (!(json instanceof String)) {
            throw Convert.mismatch(c, json);
        }
        String s = (String) json;
        try {
            if (c == java.util.UUID.class) {
                return java.util.UUID.fromString(s);
            }
            if (c == java.net.URI.class) {
                return java.net.URI.create(s);
            }
            if (c == java.net.URL.class) {
                return new java.net.URL(s);
            }
            if (c == java.util.Locale.class) {
                return java.util.Locale.forLanguageTag(s.replace('_', '-'));
            }
            if (c == java.util.Currency.class) {
                return java.util.Currency.getInstance(s);
            }
            if (java.time.ZoneId.class.isAssignableFrom(c)) {
                return java.time.ZoneId.of(s);
            }
            if (c == java.util.regex.Pattern.class) {
                return java.util.regex.Pattern.compile(s);
            }
            Method parse = c.getMethod(c.getName().startsWith("java.time.") ? "parse" : "forName",
                    c.getName().startsWith("java.time.") ? CharSequence.class : String.class);
            return parse.invoke(null, s);
        } catch (Exception e) {
            throw new IllegalArgumentException("Cannot deserialize value of type `" + c.getName()
                    + "` from String \"" + s + "\": " + e, e);
        }
    }

    /** The wrapper class of a primitive, or {@code c} itself. */
    static Class<?> box(Class<?> c) {
        if (!c.isPrimitive()) {
            return c;
        }
        if (c == int.class) {
            return Integer.class;
        }
        if (c == long.class) {
            return Long.class;
        }
        if (c == double.class) {
            return Double.class;
        }
        if (c == boolean.class) {
            return Boolean.class;
        }
        if (c == float.class) {
            return Float.class;
        }
        if (c == short.class) {
            return Short.class;
        }
        if (c == byte.class) {
            return Byte.class;
        }
        if (c == char.class) {
            return Character.class;
        }
        return Void.class;
    }
}
