// Response streaming: the handler writes to a stream whose chunks go to POST /response at once
// (Lambda-Runtime-Function-Response-Mode: streaming, Transfer-Encoding: chunked); an error
// ends the request with the trailers Lambda-Runtime-Function-Error-Type and
// Lambda-Runtime-Function-Error-Body (base64 of the error JSON). Loaded only for streaming
// handlers: node:http's ClientRequest does the chunking and the trailers.
import http from 'node:http';
import { createConnection } from 'node:net';

import { formatError } from './errors.mjs';

const ERROR_TYPE = 'Lambda-Runtime-Function-Error-Type';
const ERROR_BODY = 'Lambda-Runtime-Function-Error-Body';
const WRITABLE_METHODS = ['cork', 'destroy', 'end', 'uncork', 'write', 'addListener', 'on', 'once',
  'prependListener', 'prependOnceListener', 'off', 'removeListener', 'removeAllListeners',
  'setMaxListeners', 'getMaxListeners', 'listeners', 'rawListeners', 'listenerCount', 'eventNames',
  'emit', 'setContentType'];
const READ_WRITE = ['destroyed', '_onBeforeFirstWrite'];
const READ_ONLY = ['writableFinished', 'writableObjectMode', 'writableEnded', 'writableNeedDrain',
  'writableHighWaterMark', 'writableCorked', 'writableLength', 'writable'];

let agent;

/** The stream the handler sees: only a Writable's surface of the request. */
function writableOnly(inner) {
  const stream = {};
  for (const name of WRITABLE_METHODS) stream[name] = inner[name].bind(inner);
  for (const p of READ_WRITE) {
    Object.defineProperty(stream, p, { get: () => inner[p], set: (v) => { inner[p] = v; } });
  }
  for (const p of READ_ONLY) Object.defineProperty(stream, p, { get: () => inner[p] });
  return stream;
}

/**
 * Open the streamed response of one invocation: `{responseStream, responseDone, fail}`.
 * `fail(err)` sends the error trailers and ends the request.
 */
export function createResponseStream(client, id, options, errors, v4) {
  agent ??= new http.Agent({ keepAlive: true, maxSockets: 1 });
  agent.createConnection = (opts, listener) => createConnection(
    { ...opts, highWaterMark: options?.highWaterMark }, listener);
  let resolveDone;
  let rejectDone;
  const responseDone = new Promise((resolve, reject) => {
    resolveDone = resolve;
    rejectDone = reject;
  });
  const headers = {
    'Lambda-Runtime-Function-Response-Mode': 'streaming',
    Trailer: [ERROR_TYPE, ERROR_BODY],
    'Content-Type': 'application/octet-stream',
  };
  if (v4) headers['Transfer-Encoding'] = 'chunked';
  const req = http.request({ method: 'POST', hostname: client.host, port: client.port,
    path: client.responsePath(id), headers, agent }, (res) => {
    let body;
    res.on('data', (chunk) => {
      body = body === undefined ? chunk : Buffer.concat([body, chunk]);
    });
    res.on('aborted', (err) => { rejectDone(err); req.destroy(err); });
    res.on('end', () => resolveDone(body));
  });
  req.on('error', (err) => { rejectDone(err); req.destroy(err); });
  let written = false;
  req.setContentType = (contentType) => {
    if (written) throw new errors.InvalidStreamingOperation('Cannot set content-type, too late.');
    req.setHeader('Content-Type', contentType);
  };
  const rawWrite = req.write.bind(req);
  req.write = (chunk, encoding, callback) => {
    let data = chunk;
    if (typeof chunk !== 'string' && !Buffer.isBuffer(chunk) && !(chunk instanceof Uint8Array)) {
      data = JSON.stringify(chunk);
    }
    if (!written && typeof req._onBeforeFirstWrite === 'function') {
      req._onBeforeFirstWrite((ch) => rawWrite(ch));
    }
    const ret = rawWrite(data, encoding, callback);
    written = true;
    return ret;
  };
  const fail = (err) => new Promise((resolve) => {
    const error = formatError(err, v4);
    req.addTrailers({
      [ERROR_TYPE]: error.errorType,
      [ERROR_BODY]: Buffer.from(JSON.stringify(error)).toString('base64'),
    });
    req.end(resolve);
  });
  return { responseStream: writableOnly(req), responseDone, fail };
}
