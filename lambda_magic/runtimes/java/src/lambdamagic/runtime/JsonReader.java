package lambdamagic.runtime;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads JSON text (UTF-8 bytes) into plain Java values: {@link LinkedHashMap} for objects,
 * {@link ArrayList} for arrays, {@link String}, {@link Boolean}, null, and for numbers
 * {@link Integer}, {@link Long} or {@link BigInteger} (whole numbers, the smallest that holds
 * the value) or {@link BigDecimal} (numbers with a fraction or an exponent, kept exactly; the
 * conversion to the handler's types decides what they become).
 */
final class JsonReader {
    private final byte[] in;
    private final int end;
    private int pos;
    private final StringBuilder chars = new StringBuilder();

    private JsonReader(byte[] in, int off, int len) {
        this.in = in;
        this.pos = off;
        this.end = off + len;
    }

    /** The value of the one JSON text in {@code in}; anything but white space after it is an error. */
    static Object parse(byte[] in) {
        return parse(in, 0, in.length);
    }

    /** The value of the JSON text in {@code in[off, off+len)}. */
    static Object parse(byte[] in, int off, int len) {
        JsonReader r = new JsonReader(in, off, len);
        r.skipSpace();
        if (r.pos >= r.end) {
            throw r.error("No content to map due to end-of-input");
        }
        Object value = r.value(0);
        r.skipSpace();
        if (r.pos < r.end) {
            throw r.error("Unexpected character ('" + (char) (r.in[r.pos] & 0xff) + "'): expected end of input");
        }
        return value;
    }

    /** The value of a JSON string. */
    static Object parse(String text) {
        return parse(text.getBytes(StandardCharsets.UTF_8));
    }

    private IllegalArgumentException error(String message) {
        return new IllegalArgumentException(message + " at offset " + pos);
    }

    private void skipSpace() {
        while (pos < end) {
            byte b = in[pos];
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return;
            }
            pos++;
        }
    }

    private Object value(int depth) {
        if (depth > 1000) {
            throw error("JSON nested too deeply");
        }
        if (pos >= end) {
            throw error("Unexpected end-of-input");
        }
        byte b = in[pos];
        switch (b) {
            case '{':
                return object(depth);
            case '[':
                return array(depth);
            case '"':
                pos++;
                return string();
            case 't':
                return literal("true", Boolean.TRUE);
            case 'f':
                return literal("false", Boolean.FALSE);
            case 'n':
                return literal("null", null);
            default:
                if (b == '-' || (b >= '0' && b <= '9')) {
                    return number();
                }
                throw error("Unexpected character ('" + (char) (b & 0xff) + "'): expected a value");
        }
    }

    private Object literal(String word, Object value) {
        int n = word.length();
        if (pos + n > end) {
            throw error("Unexpected end-of-input in '" + word + "'");
        }
        for (int i = 0; i < n; i++) {
            if (in[pos + i] != word.charAt(i)) {
                throw error("Unrecognized token: was expecting '" + word + "'");
            }
        }
        pos += n;
        return value;
    }

    private Map<String, Object> object(int depth) {
        pos++;
        Map<String, Object> map = new LinkedHashMap<>();
        skipSpace();
        if (pos < end && in[pos] == '}') {
            pos++;
            return map;
        }
        while (true) {
            skipSpace();
            if (pos >= end || in[pos] != '"') {
                throw error("Unexpected character: expected a double-quote to start a field name");
            }
            pos++;
            String key = string();
            skipSpace();
            if (pos >= end || in[pos] != ':') {
                throw error("Unexpected character: expected a colon to separate field name and value");
            }
            pos++;
            skipSpace();
            map.put(key, value(depth + 1));
            skipSpace();
            if (pos >= end) {
                throw error("Unexpected end-of-input: expected close marker for Object");
            }
            byte b = in[pos++];
            if (b == '}') {
                return map;
            }
            if (b != ',') {
                pos--;
                throw error("Unexpected character: was expecting comma to separate Object entries");
            }
        }
    }

    private List<Object> array(int depth) {
        pos++;
        List<Object> list = new ArrayList<>();
        skipSpace();
        if (pos < end && in[pos] == ']') {
            pos++;
            return list;
        }
        while (true) {
            skipSpace();
            list.add(value(depth + 1));
            skipSpace();
            if (pos >= end) {
                throw error("Unexpected end-of-input: expected close marker for Array");
            }
            byte b = in[pos++];
            if (b == ']') {
                return list;
            }
            if (b != ',') {
                pos--;
                throw error("Unexpected character: was expecting comma to separate Array entries");
            }
        }
    }

    private String string() {
        int start = pos;
        while (pos < end) {  // the common case: ASCII without escapes
            byte b = in[pos];
            if (b == '"') {
                pos++;
                return new String(in, start, pos - 1 - start, StandardCharsets.ISO_8859_1);
            }
            if (b == '\\' || b < 0x20) {
                break;
            }
            pos++;
        }
        pos = start;
        StringBuilder sb = chars;
        sb.setLength(0);
        while (true) {
            if (pos >= end) {
                throw error("Unexpected end-of-input: was expecting closing quote for a string value");
            }
            int b = in[pos++] & 0xff;
            if (b == '"') {
                return sb.toString();
            }
            if (b == '\\') {
                escape(sb);
            } else if (b < 0x20) {
                throw error("Illegal unquoted character (code " + b + "): has to be escaped");
            } else if (b < 0x80) {
                sb.append((char) b);
            } else {
                utf8(sb, b);
            }
        }
    }

    private void escape(StringBuilder sb) {
        if (pos >= end) {
            throw error("Unexpected end-of-input in character escape sequence");
        }
        byte e = in[pos++];
        switch (e) {
            case '"': sb.append('"'); break;
            case '\\': sb.append('\\'); break;
            case '/': sb.append('/'); break;
            case 'b': sb.append('\b'); break;
            case 'f': sb.append('\f'); break;
            case 'n': sb.append('\n'); break;
            case 'r': sb.append('\r'); break;
            case 't': sb.append('\t'); break;
            case 'u':
                if (pos + 4 > end) {
                    throw error("Unexpected end-of-input in character escape sequence");
                }
                int c = 0;
                for (int i = 0; i < 4; i++) {
                    int d = Character.digit(in[pos++], 16);
                    if (d < 0) {
                        throw error("Unexpected character: expected a hex-digit for character escape sequence");
                    }
                    c = (c << 4) | d;
                }
                sb.append((char) c);
                break;
            default:
                throw error("Unrecognized character escape '" + (char) (e & 0xff) + "'");
        }
    }

    private void utf8(StringBuilder sb, int b) {
        int need;
        int cp;
        if ((b & 0xe0) == 0xc0) {
            need = 1;
            cp = b & 0x1f;
        } else if ((b & 0xf0) == 0xe0) {
            need = 2;
            cp = b & 0x0f;
        } else if ((b & 0xf8) == 0xf0) {
            need = 3;
            cp = b & 0x07;
        } else {
            sb.append('\ufffd');
            return;
        }
        for (int i = 0; i < need; i++) {
            if (pos >= end || (in[pos] & 0xc0) != 0x80) {
                sb.append('\ufffd');
                return;
            }
            cp = (cp << 6) | (in[pos++] & 0x3f);
        }
        sb.appendCodePoint(cp <= Character.MAX_CODE_POINT ? cp : 0xfffd);
    }

    private Object number() {
        int start = pos;
        boolean decimal = false;
        if (in[pos] == '-') {
            pos++;
        }
        int digits = pos;
        while (pos < end && in[pos] >= '0' && in[pos] <= '9') {
            pos++;
        }
        if (pos == digits) {
            throw error("Unexpected character: expected digit after minus sign");
        }
        if (pos < end && in[pos] == '.') {
            decimal = true;
            pos++;
            int frac = pos;
            while (pos < end && in[pos] >= '0' && in[pos] <= '9') {
                pos++;
            }
            if (pos == frac) {
                throw error("Unexpected character: decimal point must be followed by a digit");
            }
        }
        if (pos < end && (in[pos] == 'e' || in[pos] == 'E')) {
            decimal = true;
            pos++;
            if (pos < end && (in[pos] == '+' || in[pos] == '-')) {
                pos++;
            }
            int exp = pos;
            while (pos < end && in[pos] >= '0' && in[pos] <= '9') {
                pos++;
            }
            if (pos == exp) {
                throw error("Unexpected character: exponent indicator not followed by a digit");
            }
        }
        String text = new String(in, start, pos - start, StandardCharsets.ISO_8859_1);
        if (decimal) {
            return new BigDecimal(text);
        }
        int len = pos - start;
        if (len <= 9) {
            return Integer.valueOf(Integer.parseInt(text));
        }
        if (len <= 18) {
            long v = Long.parseLong(text);
            return v == (int) v ? (Object) Integer.valueOf((int) v) : (Object) Long.valueOf(v);
        }
        BigInteger big = new BigInteger(text);
        return big.bitLength() < 64 ? (Object) Long.valueOf(big.longValue()) : big;
    }
}
