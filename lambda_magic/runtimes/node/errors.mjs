// Errors as Lambda's Node.js runtime reports them: the error JSON posted to the Runtime API
// ({errorType, errorMessage, trace}), the form logged with "Invoke Error", the X-Ray cause, and
// the runtime's own error types. Client 3.x (nodejs20.x, nodejs22.x) names its errors through
// the prototype; 4.x (nodejs24.x) sets an own `name`, which shows in the logged JSON.
import { types } from 'node:util';

const DEL = /\x7F/g;
const clean = (s) => (typeof s === 'string' ? s.replace(DEL, '%7F') : s);

function looksLikeError(e) {
  return Boolean(e && typeof e.name === 'string' && typeof e.message === 'string'
    && typeof e.stack === 'string' && e.name && e.message && e.stack);
}

/** The JSON posted to /error (3.x accepts error-like objects; 4.x only Error instances). */
export function formatError(error, v4) {
  try {
    const isError = v4 ? error instanceof Error
      : types.isNativeError(error) || looksLikeError(error);
    if (isError) {
      const trace = v4 ? clean(error.stack)?.split('\n') || [] : clean(error.stack).split('\n');
      return { errorType: clean(error.name), errorMessage: clean(error.message), trace };
    }
    const errorMessage = v4 ? String(error) : error.toString();
    return { errorType: typeof error, errorMessage, trace: [] };
  } catch {
    const out = {
      errorType: 'handled',
      errorMessage: 'callback called with Error argument, but there was a problem while '
        + 'retrieving one or more of its message, name, and stack',
    };
    if (v4) out.trace = [];
    return out;
  }
}

/** Any thrown value as an Error (what the runtime logs). */
export function intoError(err, v4) {
  if (err instanceof Error) return err;
  return v4 ? new Error(String(err)) : new Error(err);
}

function withEnumerableProperties(value) {
  if (!(value instanceof Error)) return value;
  const out = Object.assign(
    { errorType: value.name, errorMessage: value.message, code: value.code }, value);
  if (typeof value.stack === 'string') out.stack = value.stack.split('\n');
  return out;
}

/** The text logged after "Invoke Error": a tab, then the error as JSON. */
export function toFormatted(error, v4) {
  try {
    return '\t' + JSON.stringify(error, (_k, v) => withEnumerableProperties(v));
  } catch {
    return '\t' + JSON.stringify(formatError(error, v4));
  }
}

function stackEntries(stack) {
  if (!stack) return [];
  const lines = stack.replace(DEL, '%7F').split('\n');
  lines.shift();
  return lines.map((raw) => {
    const line = raw.trim().replace(/[()]/g, '').replace(/^[^\s]*\s/, '');
    const space = line.lastIndexOf(' ');
    const label = space >= 0 ? line.slice(0, space) : '';
    const where = (space >= 0 ? line.slice(space + 1) : line).split(':');
    return { path: where[0], line: parseInt(where[1]), label: label || 'anonymous' };
  });
}

/** The Lambda-Runtime-Function-XRay-Error-Cause header: the error in X-Ray's form. */
export function xrayCause(err) {
  try {
    const stack = stackEntries(err.stack);
    return JSON.stringify({
      working_directory: process.cwd(),
      exceptions: [{ type: clean(err.name), message: clean(err.message), stack }],
      paths: [...new Set(stack.map((entry) => entry.path))],
    });
  } catch {
    return '';
  }
}

const NAMES = {
  ImportModuleError: 'ImportModuleError',
  HandlerNotFound: 'HandlerNotFoundError',
  MalformedHandlerName: 'MalformedHandlerNameError',
  UserCodeSyntaxError: 'UserCodeSyntaxError',
  MalformedStreamingHandler: 'MalformedStreamingHandler',
  InvalidStreamingOperation: 'InvalidStreamingOperation',
  UnhandledPromiseRejection: 'UnhandledPromiseRejection',
  CallbackHandlerDeprecated: 'CallbackHandlerDeprecatedError',
  JSONStringify: 'JSONStringifyError',
  PlatformError: 'PlatformError',
};

/** The runtime's error classes (`Runtime.<kind>`), as the 3.x or the 4.x client defines them. */
export function runtimeErrors(v4) {
  const out = {};
  for (const [kind, className] of Object.entries(NAMES)) {
    const typeName = kind === 'JSONStringify' ? 'Runtime.JSONStringifyError' : `Runtime.${kind}`;
    const cls = v4 ? { [className]: class extends Error {
      constructor(message) { super(message); this.name = typeName; }
    } }[className] : { [kind]: class extends Error {} }[kind];
    if (!v4) cls.prototype.name = typeName;
    out[kind] = cls;
  }
  return out;
}

/** Wrap a loading error as the client does: SyntaxError and MODULE_NOT_FOUND get Runtime types. */
export function wrapLoadError(err, errors, v4) {
  if (err instanceof SyntaxError) {
    const wrapped = new errors.UserCodeSyntaxError(String(err));
    if (v4) wrapped.stack = err.stack;
    return wrapped;
  }
  if (err && err.code === 'MODULE_NOT_FOUND') return new errors.ImportModuleError(String(err));
  return err;
}
