package lambdamagic.runtime;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.logging.LogFormat;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The function's {@link LambdaLogger}: one call is one record. In text format a record is the
 * message as given ({@code [LEVEL] } before it when a level is given); in JSON format it is
 * {@code {"timestamp","message","level","AWSRequestId"}} and a newline. Records below
 * {@code AWS_LAMBDA_LOG_LEVEL} are dropped. Records go to standard output, or, when
 * {@code _LAMBDA_TELEMETRY_LOG_FD} names a descriptor, one frame each to it:
 * {@code [type u32][length u32][timestamp in microseconds u64][message]}, big-endian, the type
 * {@code 0xa55a0000 | level << 2 | 2 | format} ({@code 0xa55a0003} for a plain text record).
 */
final class Logger implements LambdaLogger {
    private static final byte[] NULL = "null".getBytes(StandardCharsets.UTF_8);

    private final LogLevel minimum;
    final LogFormat format;
    private final OutputStream frames;  // null: standard output
    private final ThreadLocal<Context> context = new ThreadLocal<>();

    Logger(LogLevel minimum, LogFormat format, OutputStream frames) {
        this.minimum = minimum;
        this.format = format;
        this.frames = frames;
    }

    /** The logger the environment asks for (level, format and telemetry descriptor from its variables). */
    static Logger fromEnvironment() {
        String level = System.getenv("AWS_LAMBDA_LOG_LEVEL");
        String format = System.getenv("AWS_LAMBDA_LOG_FORMAT");
        return new Logger(LogLevel.fromString(level == null ? "UNDEFINED" : level),
                LogFormat.fromString(format == null ? "TEXT" : format), telemetry(System.getenv("_LAMBDA_TELEMETRY_LOG_FD")));
    }

    private static OutputStream telemetry(String fd) {
        if (fd == null) {
            return null;
        }
        try {
            return new FileOutputStream("/dev/fd/" + Integer.parseInt(fd.trim()), true);
        } catch (IOException | NumberFormatException e) {
            return null;  // as the Java runtime does: fall back to standard output
        }
    }

    /** The level of the runtime's own error records: ERROR in JSON format, none in text. */
    LogLevel errorLevel() {
        return format == LogFormat.JSON ? LogLevel.ERROR : LogLevel.UNDEFINED;
    }

    /** The invocation whose request id JSON records carry (on this thread). */
    void setContext(Context ctx) {
        if (ctx == null) {
            context.remove();
        } else {
            context.set(ctx);
        }
    }

    @Override
    public void log(String message) {
        log(message, LogLevel.UNDEFINED);
    }

    @Override
    public void log(byte[] message) {
        log(message, LogLevel.UNDEFINED);
    }

    @Override
    public void log(String message, LogLevel level) {
        if (enabled(level)) {
            String text = format == LogFormat.JSON ? json(message, level)
                    : level == LogLevel.UNDEFINED || message == null ? message : "[" + level + "] " + message;
            write(level, text == null ? NULL : text.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Override
    public void log(byte[] message, LogLevel level) {
        if (enabled(level)) {
            write(level, message == null ? NULL : message);
        }
    }

    private boolean enabled(LogLevel level) {
        return level == LogLevel.UNDEFINED || level.ordinal() >= minimum.ordinal();
    }

    private String json(String message, LogLevel level) {
        JsonWriter w = new JsonWriter(true);
        w.raw("{\"timestamp\":");
        w.string(timestamp(System.currentTimeMillis()));
        if (message != null) {
            w.raw(",\"message\":");
            w.string(message);
        }
        w.raw(",\"level\":");
        w.string(level.name());
        Context ctx = context.get();
        if (ctx != null) {
            w.raw(",\"AWSRequestId\":");
            w.string(ctx.getAwsRequestId());
            if (ctx.getTenantId() != null) {
                w.raw(",\"tenantId\":");
                w.string(ctx.getTenantId());
            }
        }
        w.raw("}\n");
        return new String(w.toBytes(), StandardCharsets.UTF_8);
    }

    /** {@code yyyy-MM-ddTHH:mm:ss.SSSZ} in UTC. */
    static String timestamp(long millis) {
        long days = Math.floorDiv(millis, 86_400_000L);
        long ms = Math.floorMod(millis, 86_400_000L);
        long z = days + 719_468;  // days from 0000-03-01 (civil calendar arithmetic)
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        long day = doy - (153 * mp + 2) / 5 + 1;
        long month = mp < 10 ? mp + 3 : mp - 9;
        long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
        StringBuilder sb = new StringBuilder(24);
        pad(sb, year, 4).append('-');
        pad(sb, month, 2).append('-');
        pad(sb, day, 2).append('T');
        pad(sb, ms / 3_600_000, 2).append(':');
        pad(sb, ms / 60_000 % 60, 2).append(':');
        pad(sb, ms / 1000 % 60, 2).append('.');
        return pad(sb, ms % 1000, 3).append('Z').toString();
    }

    private static StringBuilder pad(StringBuilder sb, long v, int width) {
        String s = Long.toString(v);
        for (int i = s.length(); i < width; i++) {
            sb.append('0');
        }
        return sb.append(s);
    }

    private synchronized void write(LogLevel level, byte[] message) {
        try {
            if (frames == null) {
                System.out.write(message, 0, message.length);
                return;
            }
            java.time.Instant instant = java.time.Instant.now();
            long now = instant.getEpochSecond() * 1_000_000 + instant.getNano() / 1000;
            int type = 0xa55a0000 | (level.ordinal() << 2) | 2 | format.ordinal();
            byte[] frame = new byte[16 + message.length];
            putInt(frame, 0, type);
            putInt(frame, 4, message.length);
            putInt(frame, 8, (int) (now >>> 32));
            putInt(frame, 12, (int) now);
            System.arraycopy(message, 0, frame, 16, message.length);
            frames.write(frame);
        } catch (IOException e) {
            e.printStackTrace();
        }
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }
}
