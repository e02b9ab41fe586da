package lambdamagic.runtime;

import java.lang.reflect.Array;
import java.util.Base64;
import java.util.Calendar;
import java.util.Date;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Writes Java values as compact JSON (UTF-8), by their runtime type, as the Java runtime's
 * serializer does: maps as objects, collections and arrays as arrays ({@code byte[]} as Base64,
 * {@code char[]} as a string), enums by name, dates as epoch milliseconds, {@code java.time}
 * values as ISO strings, records by component and other objects by bean property (public
 * getters and fields) with null properties left out. NaN and infinities are written as strings.
 */
final class JsonWriter {
    private static final byte[] HEX_UPPER = "0123456789ABCDEF".getBytes();
    private static final byte[] HEX_LOWER = "0123456789abcdef".getBytes();
    private static final int MAX_DEPTH = 1000;

    private byte[] buf;
    private int len;
    private final boolean gson;

    /**
     * A writer; {@code gson} selects the escaping of the runtime's own error documents (lower-case
     * hex, U+2028 and U+2029 escaped) instead of the one of function results.
     */
    JsonWriter(boolean gson) {
        this.buf = new byte[256];
        this.gson = gson;
    }

    /** The JSON of {@code value} (a function's result). */
    static byte[] write(Object value) {
        JsonWriter w = new JsonWriter(false);
        w.value(value, 0);
        return w.toBytes();
    }

    byte[] toBytes() {
        byte[] out = new byte[len];
        System.arraycopy(buf, 0, out, 0, len);
        return out;
    }

    private void ensure(int n) {
        if (len + n > buf.length) {
            byte[] bigger = new byte[Math.max(buf.length * 2, len + n)];
            System.arraycopy(buf, 0, bigger, 0, len);
            buf = bigger;
        }
    }

    void raw(char c) {
        ensure(1);
        buf[len++] = (byte) c;
    }

    void raw(String ascii) {
        int n = ascii.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            buf[len++] = (byte) ascii.charAt(i);
        }
    }

    /** Write {@code s} as a JSON string. */
    void string(CharSequence s) {
        int n = s.length();
        ensure(n + 2);
        buf[len++] = '"';
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
                ensure(1);
                buf[len++] = (byte) c;
            } else if (c < 0x80) {
                escape(c);
            } else if (gson && (c == '\u2028' || c == '\u2029')) {
                escape(c);
            } else if (c < 0x800) {
                ensure(2);
                buf[len++] = (byte) (0xc0 | (c >> 6));
                buf[len++] = (byte) (0x80 | (c & 0x3f));
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                ensure(4);
                buf[len++] = (byte) (0xf0 | (cp >> 18));
                buf[len++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
                buf[len++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
                buf[len++] = (byte) (0x80 | (cp & 0x3f));
            } else if (Character.isSurrogate(c)) {
                escape(c);  // a lone surrogate cannot be encoded in UTF-8
            } else {
                ensure(3);
                buf[len++] = (byte) (0xe0 | (c >> 12));
                buf[len++] = (byte) (0x80 | ((c >> 6) & 0x3f));
                buf[len++] = (byte) (0x80 | (c & 0x3f));
            }
        }
        ensure(1);
        buf[len++] = '"';
    }

    private void escape(char c) {
        ensure(6);
        buf[len++] = '\\';
        switch (c) {
            case '"': buf[len++] = '"'; return;
            case '\\': buf[len++] = '\\'; return;
            case '\n': buf[len++] = 'n'; return;
            case '\r': buf[len++] = 'r'; return;
            case '\t': buf[len++] = 't'; return;
            case '\b': buf[len++] = 'b'; return;
            case '\f': buf[len++] = 'f'; return;
            default:
                byte[] hex = gson ? HEX_LOWER : HEX_UPPER;
                buf[len++] = 'u';
                buf[len++] = hex[(c >> 12) & 0xf];
                buf[len++] = hex[(c >> 8) & 0xf];
                buf[len++] = hex[(c >> 4) & 0xf];
                buf[len++] = hex[c & 0xf];
        }
    }

    /** Write any value, by its runtime type. */
    void value(Object v, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalStateException("Infinite recursion (StackOverflowError)");
        }
        if (v == null) {
            raw("null");
        } else if (v instanceof String) {
            string((String) v);
        } else if (v instanceof Boolean) {
            raw(((Boolean) v) ? "true" : "false");
        } else if (v instanceof Number) {
            number((Number) v);
        } else if (v instanceof Map) {
            map((Map<?, ?>) v, depth);
        } else if (v instanceof Iterable) {
            iterable(((Iterable<?>) v).iterator(), v, depth);
        } else if (v instanceof CharSequence || v instanceof Character) {
            string(v.toString());
        } else if (v.getClass().isArray()) {
            array(v, depth);
        } else if (v instanceof Enum) {
            string(((Enum<?>) v).name());
        } else {
            special(v, depth);
        }
    }

    private void special(Object v, int depth) {
        if (v instanceof Optional) {
            value(((Optional<?>) v).orElse(null), depth + 1);
        } else if (v instanceof OptionalInt) {
            OptionalInt o = (OptionalInt) v;
            raw(o.isPresent() ? Integer.toString(o.getAsInt()) : "null");
        } else if (v instanceof OptionalLong) {
            OptionalLong o = (OptionalLong) v;
            raw(o.isPresent() ? Long.toString(o.getAsLong()) : "null");
        } else if (v instanceof OptionalDouble) {
            OptionalDouble o = (OptionalDouble) v;
            if (o.isPresent()) {
                number(o.getAsDouble());
            } else {
                raw("null");
            }
        } else if (v instanceof Date) {
            raw(Long.toString(((Date) v).getTime()));
        } else if (v instanceof Calendar) {
            raw(Long.toString(((Calendar) v).getTimeInMillis()));
        } else if (v instanceof AtomicBoolean) {
            raw(((AtomicBoolean) v).get() ? "true" : "false");
        } else if (v instanceof Class) {
            string(((Class<?>) v).getName());
        } else if (Beans.isStringLike(v.getClass())) {
            string(v.toString());
        } else if (v instanceof Iterator) {
            iterable((Iterator<?>) v, v, depth);
        } else {
            bean(v, depth);
        }
    }

    /** A number as Java prints it ({@code 1.0E10}, {@code 1E+3}); NaN and infinities as strings. */
    private void number(Number n) {
        boolean floating = n instanceof Double || n instanceof Float;
        if (floating && (Double.isNaN(n.doubleValue()) || Double.isInfinite(n.doubleValue()))) {
            string(n.toString());
        } else {
            raw(n.toString());
        }
    }

    private void map(Map<?, ?> m, int depth) {
        raw('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : m.entrySet()) {
            Object key = e.getKey();
            if (key == null) {
                throw new IllegalArgumentException("Null key for a Map not allowed in JSON");
            }
            if (!first) {
                raw(',');
            }
            first = false;
            string(key instanceof Enum ? ((Enum<?>) key).name() : key.toString());
            raw(':');
            Object value = e.getValue();
            if (value == m) {
                throw new IllegalArgumentException("Direct self-reference leading to cycle");
            }
            value(value, depth + 1);
        }
        raw('}');
    }

    private void iterable(Iterator<?> it, Object owner, int depth) {
        raw('[');
        boolean first = true;
        while (it.hasNext()) {
            if (!first) {
                raw(',');
            }
            first = false;
            Object item = it.next();
            if (item == owner) {
                throw new IllegalArgumentException("Direct self-reference leading to cycle");
            }
            value(item, depth + 1);
        }
        raw(']');
    }

    private void array(Object a, int depth) {
        if (a instanceof byte[]) {
            string(Base64.getEncoder().encodeToString((byte[]) a));
            return;
        }
        if (a instanceof char[]) {
            string(new String((char[]) a));
            return;
        }
        raw('[');
        int n = Array.getLength(a);
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                raw(',');
            }
            value(Array.get(a, i), depth + 1);
        }
        raw(']');
    }

    private void bean(Object v, int depth) {
        raw('{');
        boolean first = true;
        for (Beans.Property p : Beans.of(v.getClass()).readable) {
            Object value = p.get(v);
            if (value == null) {
                continue;  // null properties are left out
            }
            if (value == v) {
                throw new IllegalArgumentException("Direct self-reference leading to cycle (through reference chain: "
                        + v.getClass().getName() + "[\"" + p.name + "\"])");
            }
            if (!first) {
                raw(',');
            }
            first = false;
            string(p.name);
            raw(':');
            value(value, depth + 1);
        }
        raw('}');
    }
}
