// The invoke loop of Lambda's Node.js client 4.x (nodejs24.x): the handler is awaited (async,
// promise, or a plain return value); a 3-argument (callback) handler is refused at Init with
// Runtime.CallbackHandlerDeprecated; there is no callbackWaitsForEmptyEventLoop and no
// process-wide error handler (an uncaught exception ends the process, as Node does).
import * as E from './errors.mjs';
import { InvokeStore, setupGlobals } from './globals.mjs';
import { handlerMetadata, loadHandler } from './loader.mjs';
import { patchConsole } from './logging.mjs';
import { RapidClient } from './rapid.mjs';

const errors = E.runtimeErrors(true);
const REQUIRED_ENV = ['AWS_LAMBDA_FUNCTION_NAME', 'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE', 'AWS_LAMBDA_LOG_GROUP_NAME', 'AWS_LAMBDA_LOG_STREAM_NAME'];
const REQUIRED_HEADERS = ['lambda-runtime-invoked-function-arn', 'lambda-runtime-aws-request-id',
  'lambda-runtime-deadline-ms'];
const CALLBACK_ERROR_22 = 'ERROR: AWS Lambda does not support callback-based function handlers '
  + 'when using Node.js 22 with Managed Instances. To use Managed Instances, modify this function '
  + 'to use a supported handler signature. For more information see '
  + 'https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html.';
const CALLBACK_ERROR_24 = 'ERROR: AWS Lambda has removed support for callback-based function '
  + 'handlers starting with Node.js 24. You need to modify this function to use a supported '
  + 'handler signature to use Node.js 24 or later. For more information see '
  + 'https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html.';
const tick = () => new Promise((resolve) => setImmediate(resolve));
let log;

function serialize(value) {
  try {
    return JSON.stringify(value === undefined ? null : value);
  } catch {
    throw new errors.JSONStringify('Unable to stringify response body');
  }
}

function parseJsonHeader(value, name) {
  if (!value) return undefined;
  try {
    return JSON.parse(value);
  } catch (err) {
    throw new errors.PlatformError(`Failed to parse ${name} as JSON: ${err.message}`);
  }
}

/** The context object, from the /next headers and the environment. */
function buildContext(headers) {
  const missingEnv = REQUIRED_ENV.filter((name) => !process.env[name]);
  if (missingEnv.length) {
    throw new errors.PlatformError(
      `Missing required environment variables: ${missingEnv.join(', ')}`);
  }
  const missing = REQUIRED_HEADERS.filter((name) => !(name in headers));
  if (missing.length) {
    throw new errors.PlatformError(`Missing required headers: ${missing.join(', ')}`);
  }
  const deadline = parseInt(headers['lambda-runtime-deadline-ms'], 10);
  if (Number.isNaN(deadline)) throw new errors.PlatformError('Invalid deadline timestamp');
  const trace = headers['lambda-runtime-trace-id'] ?? '';
  const env = process.env;
  const context = {
    clientContext: parseJsonHeader(headers['lambda-runtime-client-context'],
      'lambda-runtime-client-context'),
    identity: parseJsonHeader(headers['lambda-runtime-cognito-identity'],
      'lambda-runtime-cognito-identity'),
    invokedFunctionArn: headers['lambda-runtime-invoked-function-arn'],
    awsRequestId: headers['lambda-runtime-aws-request-id'],
    tenantId: headers['lambda-runtime-aws-tenant-id'],
    xRayTraceId: trace,
    getRemainingTimeInMillis() { return deadline - Date.now(); },
    functionName: env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: env.AWS_LAMBDA_FUNCTION_VERSION,
    memoryLimitInMB: env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    logGroupName: env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME,
  };
  if (trace) process.env._X_AMZN_TRACE_ID = trace;
  else delete process.env._X_AMZN_TRACE_ID;
  return context;
}

async function fail(client, id, err) {
  await tick();
  log.logError('Invoke Error', err, E);
  await client.postError(id, serialize(E.formatError(err, true)), E.xrayCause(err));
}

async function processBuffered(client, handler, context, event) {
  const id = context.awsRequestId;
  try {
    const result = await handler(event, context);
    await tick();
    await client.postResponse(id, serialize(result));
  } catch (err) {
    await fail(client, id, err);
  }
}

async function processStreaming(client, handler, metadata, context, event) {
  const { createResponseStream } = await import('./streaming.mjs');
  const stream = createResponseStream(client, context.awsRequestId,
    { highWaterMark: metadata.highWaterMark }, errors, true);
  try {
    const result = handler(event, stream.responseStream, context);
    if (!(typeof result === 'object' && result !== null && typeof result.then === 'function')) {
      throw new Error('Streaming does not support non-async handlers.');
    }
    if (typeof (await result) !== 'undefined') {
      console.warn('Streaming handlers ignore return values.');
    }
    await stream.responseDone;
    if (!stream.responseStream.writableFinished) {
      throw new Error('Response stream is not finished.');
    }
  } catch (err) {
    await tick();
    log.logError('Invoke Error', err, E);
    // 4.0.2 asks for the next event without waiting for the trailers to be sent: its /next
    // then races the unfinished response (and gets 403 here). Sending them first avoids that.
    await stream.fail(err);
  }
}

async function init(client, appRoot, handlerString) {
  try {
    const handler = await loadHandler(appRoot, handlerString, errors, true);
    const metadata = handlerMetadata(handler, errors);
    if (metadata.argsNum >= 3 && !metadata.streaming) {
      const nodejs22 = process.env.AWS_EXECUTION_ENV === 'AWS_Lambda_nodejs22.x';
      throw new errors.CallbackHandlerDeprecated(nodejs22 ? CALLBACK_ERROR_22 : CALLBACK_ERROR_24);
    }
    if (metadata.streaming) await import('./streaming.mjs'); // during Init, not the invoke
    return { handler, metadata };
  } catch (err) {
    log.logError('Init Error', err, E);
    await client.postInitError(E.formatError(err, true));
    throw err;
  }
}

/** Start the 4.x runtime: Init, then one invocation at a time. Rejects as the client does. */
export async function start(appRoot, handlerString) {
  const store = new InvokeStore();
  setupGlobals(store);
  const ids = { requestId: () => store.getRequestId(), tenantId: () => store.getTenantId() || '' };
  log = patchConsole(ids, true);
  for (const [name, value] of [['AWS_LAMBDA_RUNTIME_API', process.env.AWS_LAMBDA_RUNTIME_API],
    ['_HANDLER', handlerString], ['LAMBDA_TASK_ROOT', appRoot]]) {
    if (!value) throw new errors.PlatformError(`${name} environment variable is not set`);
  }
  const client = new RapidClient(process.env.AWS_LAMBDA_RUNTIME_API, true);
  const { handler, metadata } = await init(client, appRoot, handlerString);
  const keys = InvokeStore.PROTECTED_KEYS;
  for (;;) {
    const { bodyJson, headers } = await client.next();
    const context = buildContext(headers);
    const event = JSON.parse(bodyJson);
    const ids = { [keys.REQUEST_ID]: context.awsRequestId,
      [keys.X_RAY_TRACE_ID]: context.xRayTraceId };
    await store.run(ids, () => (metadata.streaming
      ? processStreaming(client, handler, metadata, context, event)
      : processBuffered(client, handler, context, event)));
  }
}
