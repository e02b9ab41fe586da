// console.* as Lambda's Node.js runtime replaces it: one record per call,
// `<ISO time>\t<request id>\t<LEVEL>\t<message>` (Text) or a JSON object (JSON), filtered by
// AWS_LAMBDA_LOG_LEVEL. Records go to stdout with new lines turned into '\r' (one CloudWatch
// event each), or, when _LAMBDA_TELEMETRY_LOG_FD is set, as frames on that descriptor:
// [type u32 BE][length u32 BE][time in microseconds u64 BE][message].
import { writeSync } from 'node:fs';
import { format } from 'node:util';

export const LEVELS = Object.freeze({
  TRACE: { name: 'TRACE', priority: 1, tlvMask: 0b00100 },
  DEBUG: { name: 'DEBUG', priority: 2, tlvMask: 0b01000 },
  INFO: { name: 'INFO', priority: 3, tlvMask: 0b01100 },
  WARN: { name: 'WARN', priority: 4, tlvMask: 0b10000 },
  ERROR: { name: 'ERROR', priority: 5, tlvMask: 0b10100 },
  FATAL: { name: 'FATAL', priority: 6, tlvMask: 0b11000 },
});
export const FRAME_TEXT = 0xa55a0003;
export const FRAME_JSON = 0xa55a0002;

function jsonErrorReplacer(_key, value) {
  if (!(value instanceof Error)) return value;
  return Object.assign({
    errorType: value?.constructor?.name ?? 'UnknownError',
    errorMessage: value.message,
    stackTrace: typeof value.stack === 'string' ? value.stack.split('\n') : value.stack,
  }, value);
}

/** A JSON record: timestamp, level, requestId, tenantId if any, message, error fields. */
export function jsonRecord(timestamp, requestId, tenantId, level, args, v4) {
  const record = { timestamp, level: level.name, requestId };
  if (tenantId) record.tenantId = tenantId;
  if (args.length === 1) {
    record.message = args[0];
    try {
      return JSON.stringify(record, jsonErrorReplacer);
    } catch {
      record.message = format(record.message);
      return JSON.stringify(record);
    }
  }
  record.message = format(...args);
  // 3.x looks for an error among all the arguments, 4.x only after the first.
  const error = (v4 ? args.slice(1) : args).find((a) => a instanceof Error);
  if (error) {
    record.errorType = error?.constructor?.name ?? 'UnknownError';
    record.errorMessage = error.message;
    record.stackTrace = typeof error.stack === 'string' ? error.stack.split('\n') : [];
  }
  return JSON.stringify(record);
}

function frameWriter(fd) {
  return (type, date, text) => {
    const body = Buffer.from(text, 'utf8');
    const frame = Buffer.allocUnsafe(16 + body.length);
    frame.writeUInt32BE(type >>> 0, 0);
    frame.writeUInt32BE(body.length, 4);
    frame.writeBigUInt64BE(BigInt(date.valueOf()) * 1000n, 8);
    body.copy(frame, 16);
    writeSync(fd, frame);
  };
}

/** The telemetry descriptor from the environment (deleted from it, as the client does). */
export function consumeTelemetryFd(v4) {
  const raw = process.env._LAMBDA_TELEMETRY_LOG_FD;
  if (raw === undefined) return undefined;
  delete process.env._LAMBDA_TELEMETRY_LOG_FD;
  const fd = v4 ? Number(raw) : parseInt(raw, 10);
  return Number.isInteger(fd) && fd > 0 ? fd : undefined;
}

/**
 * Replace console.* and return the logger.
 * `ids` gives the current request and tenant ids (`ids.requestId()`, `ids.tenantId()`).
 */
export function patchConsole(ids, v4) {
  const json = process.env.AWS_LAMBDA_LOG_FORMAT?.toUpperCase() === 'JSON';
  const minimum = LEVELS[process.env.AWS_LAMBDA_LOG_LEVEL?.toUpperCase()] ?? LEVELS.TRACE;
  const fd = consumeTelemetryFd(v4);
  const frame = fd === undefined ? null : frameWriter(fd);
  const emit = (level, args) => {
    const date = new Date();
    const time = date.toISOString();
    const requestId = ids.requestId();
    const line = json
      ? jsonRecord(time, requestId, ids.tenantId(), level, args, v4)
      : `${time}\t${requestId}\t${level.name}\t${format(...args)}`;
    if (frame) {
      frame((json ? FRAME_JSON : FRAME_TEXT) | level.tlvMask, date, json ? line : line + '\n');
    } else {
      process.stdout.write(line.replace(/\n/g, '\r') + '\n');
    }
  };
  const nop = () => {};
  const method = (level, always) => (always || level.priority >= minimum.priority
    ? (...args) => emit(level, args.length ? args : [undefined]) : nop);
  console.trace = method(LEVELS.TRACE);
  console.debug = method(LEVELS.DEBUG);
  console.info = method(LEVELS.INFO);
  console.warn = method(LEVELS.WARN);
  console.error = method(LEVELS.ERROR);
  console.fatal = method(LEVELS.FATAL, true);
  console.log = console.info;
  return {
    json,
    /** Log a runtime error: `msg \t{json}` in Text, the error itself in JSON. */
    logError(msg, err, errors) {
      if (json) console.error(errors.intoError(err, v4));
      else console.error(msg, errors.toFormatted(errors.intoError(err, v4), v4));
    },
  };
}
