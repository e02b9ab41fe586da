// The `awslambda` global that handlers see: streamifyResponse, HttpResponseStream and, with
// the 4.x client (nodejs24.x), InvokeStore (the current request's ids). Not installed when
// AWS_LAMBDA_NODEJS_NO_GLOBAL_AWSLAMBDA is 1 or true.
import { streamifyResponse } from './loader.mjs';

const PRELUDE_CONTENT_TYPE = 'application/vnd.awslambda.http-integration-response';

/** Responses for function URLs and API Gateway: a JSON prelude and 8 NUL bytes, then the body. */
export class HttpResponseStream {
  static from(underlyingStream, prelude) {
    underlyingStream.setContentType(PRELUDE_CONTENT_TYPE);
    const metadata = JSON.stringify(prelude);
    underlyingStream._onBeforeFirstWrite = (write) => {
      write(metadata);
      write(new Uint8Array(8));
    };
    return underlyingStream;
  }
}

const PROTECTED_KEYS = {
  REQUEST_ID: Symbol.for('_AWS_LAMBDA_REQUEST_ID'),
  X_RAY_TRACE_ID: Symbol.for('_AWS_LAMBDA_X_RAY_TRACE_ID'),
  TENANT_ID: Symbol.for('_AWS_LAMBDA_TENANT_ID'),
};

/** The 4.x client's per-invocation store (one invocation at a time). */
export class InvokeStore {
  static PROTECTED_KEYS = PROTECTED_KEYS;

  isProtectedKey(key) { return Object.values(PROTECTED_KEYS).includes(key); }

  getRequestId() { return this.get(PROTECTED_KEYS.REQUEST_ID) ?? '-'; }

  getXRayTraceId() { return this.get(PROTECTED_KEYS.X_RAY_TRACE_ID); }

  getTenantId() { return this.get(PROTECTED_KEYS.TENANT_ID); }

  getContext() { return this.currentContext; }

  hasContext() { return this.currentContext !== undefined; }

  get(key) { return this.currentContext?.[key]; }

  set(key, value) {
    if (this.isProtectedKey(key)) {
      throw new Error(`Cannot modify protected Lambda context field: ${String(key)}`);
    }
    this.currentContext = this.currentContext || {};
    this.currentContext[key] = value;
  }

  run(context, fn) {
    this.currentContext = context;
    return fn();
  }
}

const noGlobal = () => ['1', 'true']
  .includes(process.env.AWS_LAMBDA_NODEJS_NO_GLOBAL_AWSLAMBDA ?? '');

/** Install `awslambda`; with `store` (4.x) it also carries the InvokeStore. */
export function setupGlobals(store) {
  if (noGlobal()) return;
  globalThis.awslambda = { ...globalThis.awslambda, streamifyResponse, HttpResponseStream };
  if (store && !globalThis.awslambda.InvokeStore) globalThis.awslambda.InvokeStore = store;
}
