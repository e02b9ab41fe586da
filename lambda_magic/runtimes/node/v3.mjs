// The invoke loop of Lambda's Node.js client 3.x (nodejs20.x, nodejs22.x): async, promise and
// callback handlers; `callbackWaitsForEmptyEventLoop` (a callback's result is sent once the
// event loop is empty, seen through 'beforeExit'); context.succeed/fail/done; an uncaught
// exception or unhandled rejection fails the invocation (or Init) and ends the process.
import * as E from './errors.mjs';
import { setupGlobals } from './globals.mjs';
import { handlerMetadata, loadHandler } from './loader.mjs';
import { patchConsole } from './logging.mjs';
import { RapidClient } from './rapid.mjs';

const REQUEST_ID = Symbol.for('aws.lambda.runtime.requestId');
const TENANT_ID = Symbol.for('aws.lambda.runtime.tenantId');
const errors = E.runtimeErrors(false);
let onBeforeExit = () => {};
let log;

function serialize(value) {
  let text;
  try {
    text = JSON.stringify(value === undefined ? null : value);
  } catch {
    throw new Error('Unable to stringify response body');
  }
  if (text === undefined) throw new TypeError('Wrong arguments');
  return text;
}

/** End the process once `posted` settles (the Runtime API may be gone already). */
function exitAfter(posted, code) {
  const exit = () => process.exit(code);
  return posted.then(exit, exit);
}

function postError(client, err, id) {
  return client.postError(id, serialize(E.formatError(err, false)), E.xrayCause(err));
}

function parseJson(text, name) {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Error(`Cannot parse ${name} as json: ${err.toString()}`);
  }
}

/** The context's fields from the environment and the /next headers. */
function attachEnvironment(target, headers) {
  const trace = headers['lambda-runtime-trace-id'];
  if (trace) process.env._X_AMZN_TRACE_ID = trace;
  else delete process.env._X_AMZN_TRACE_ID;
  const env = process.env;
  const deadline = Number(headers['lambda-runtime-deadline-ms']);
  return Object.assign(target, {
    functionVersion: env.AWS_LAMBDA_FUNCTION_VERSION,
    functionName: env.AWS_LAMBDA_FUNCTION_NAME,
    memoryLimitInMB: env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    logGroupName: env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME,
  }, {
    clientContext: parseJson(headers['lambda-runtime-client-context'], 'ClientContext'),
    identity: parseJson(headers['lambda-runtime-cognito-identity'], 'CognitoIdentity'),
    invokedFunctionArn: headers['lambda-runtime-invoked-function-arn'],
    awsRequestId: headers['lambda-runtime-aws-request-id'],
    tenantId: headers['lambda-runtime-aws-tenant-id'],
    getRemainingTimeInMillis() { return deadline - Date.now(); },
  });
}

/** The callback, and the context's callback part (succeed/fail/done, the wait flag). */
function callbackContext(client, id, scheduleNext) {
  let waitForEmptyEventLoop = true;
  let completed = false;
  let finished = false;
  const fail = (err, after) => {
    log.logError('Invoke Error', err, E);
    postError(client, err, id).then(after);
  };
  const complete = (result, after) => {
    if (completed) {
      console.error('Invocation has already been reported as done. Cannot call complete more '
        + 'than once per invocation.');
      return;
    }
    completed = true;
    const body = serialize(result);
    client.postResponse(id, body).then(after);
  };
  const callback = (err, result) => {
    onBeforeExit = () => {};
    if (err !== undefined && err !== null) fail(err, scheduleNext);
    else if (!waitForEmptyEventLoop) complete(result, scheduleNext);
    else onBeforeExit = () => setImmediate(() => complete(result, scheduleNext));
  };
  const done = (err, result) => {
    onBeforeExit = () => {};
    if (err !== undefined && err !== null) fail(err, scheduleNext);
    else complete(result, scheduleNext);
  };
  const once = (fn) => (...args) => {
    if (!finished) {
      fn(...args);
      finished = true;
    }
  };
  const context = {
    get callbackWaitsForEmptyEventLoop() { return waitForEmptyEventLoop; },
    set callbackWaitsForEmptyEventLoop(value) { waitForEmptyEventLoop = value; },
    succeed: once((result) => done(null, result)),
    fail: once((err) => (err === undefined || err === null ? done('handled') : done(err, null))),
    done: once(done),
  };
  return { callback: once(callback), context, markCompleted: () => { completed = true; } };
}

class Runtime {
  constructor(client, handler, metadata, crash) {
    Object.assign(this, { client, handler, metadata, crash });
  }

  scheduleIteration() {
    setImmediate(() => {
      const once = this.metadata.streaming ? this.handleStreaming() : this.handleOnce();
      once.catch((err) => {
        console.log(`Unexpected Top Level Error: ${err.toString()}`);
        this.crash.uncaughtException(err);
      });
    });
  }

  async nextInvocation() {
    const { bodyJson, headers } = await this.client.next();
    const id = headers['lambda-runtime-aws-request-id'];
    globalThis[REQUEST_ID] = id;
    globalThis[TENANT_ID] = headers['lambda-runtime-aws-tenant-id'];
    this.crash.uncaughtException = (err) => exitAfter(postError(this.client, err, id), 129);
    this.crash.unhandledRejection = (err) => exitAfter(postError(this.client, err, id), 128);
    return { bodyJson, headers, id };
  }

  async handleOnce() {
    const { bodyJson, headers, id } = await this.nextInvocation();
    const next = () => this.scheduleIteration();
    const { callback, context, markCompleted } = callbackContext(this.client, id, next);
    try {
      onBeforeExit = () => {
        markCompleted();
        this.client.postResponse(id, 'null').then(next);
      };
      const result = this.handler(JSON.parse(bodyJson), attachEnvironment(context, headers),
        callback);
      if (result && typeof result.then === 'function') {
        result.then(context.succeed, context.fail).catch(context.fail);
      }
    } catch (err) {
      callback(err);
    }
  }

  async handleStreaming() {
    const { bodyJson, headers, id } = await this.nextInvocation();
    const { createResponseStream } = await import('./streaming.mjs');
    let waitForEmptyEventLoop = true;
    const context = {
      get callbackWaitsForEmptyEventLoop() { return waitForEmptyEventLoop; },
      set callbackWaitsForEmptyEventLoop(value) { waitForEmptyEventLoop = value; },
    };
    const stream = createResponseStream(this.client, id,
      { highWaterMark: this.metadata.highWaterMark }, errors, false);
    const scheduleNext = () => {
      onBeforeExit = () => {};
      if (!waitForEmptyEventLoop) this.scheduleIteration();
      else onBeforeExit = () => setImmediate(() => this.scheduleIteration());
    };
    const fail = (err) => {
      log.logError('Invoke Error', err, E);
      stream.fail(err).then(scheduleNext);
    };
    try {
      onBeforeExit = () => this.scheduleIteration();
      const result = this.handler(JSON.parse(bodyJson), stream.responseStream,
        attachEnvironment(context, headers));
      if (!(result && typeof result.then === 'function')) {
        fail('Streaming does not support non-async handlers.');
        return;
      }
      if (typeof (await result) !== 'undefined') {
        console.warn('Streaming handlers ignore return values.');
      }
      await stream.responseDone;
      if (!stream.responseStream.writableFinished) {
        fail('Response stream is not finished.');
        return;
      }
      scheduleNext();
    } catch (err) {
      fail(err);
    }
  }
}

/** Start the 3.x runtime: Init (load the handler), then the invoke loop. */
export async function start(appRoot, handlerString) {
  const ids = { requestId: () => globalThis[REQUEST_ID], tenantId: () => globalThis[TENANT_ID] };
  log = patchConsole(ids, false);
  const client = new RapidClient(process.env.AWS_LAMBDA_RUNTIME_API);
  const initFailure = (code) => (err) => exitAfter(
    client.postInitError(E.formatError(err, false)), code);
  const crash = { uncaughtException: initFailure(129), unhandledRejection: initFailure(128) };
  const onUncaught = (err) => {
    log.logError('Uncaught Exception', err, E);
    crash.uncaughtException(err);
  };
  process.on('uncaughtException', onUncaught);
  process.on('unhandledRejection', (reason, promise) => {
    const err = Object.assign(new errors.UnhandledPromiseRejection(reason), { reason, promise });
    log.logError('Unhandled Promise Rejection', err, E);
    crash.unhandledRejection(err);
  });
  process.on('beforeExit', () => onBeforeExit());
  let handler;
  let metadata;
  try {
    setupGlobals();
    handler = await loadHandler(appRoot, handlerString, errors, false);
    metadata = handlerMetadata(handler, errors);
    if (metadata.streaming) await import('./streaming.mjs'); // during Init, not the invoke
  } catch (err) {
    onUncaught(err);
    return;
  }
  new Runtime(client, handler, metadata, crash).scheduleIteration();
}
