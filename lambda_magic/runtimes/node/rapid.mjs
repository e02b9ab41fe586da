// The Runtime API client: HTTP/1.1 over one keep-alive socket from node:net (node:http costs
// more to load, and the exchange is small: GET /next, POST /response, /error, /init/error).
// The socket holds the event loop only while a request is in flight, so an idle runtime lets
// the loop empty (callbackWaitsForEmptyEventLoop relies on 'beforeExit').
import { connect } from 'node:net';

const BASE = '/2018-06-01/runtime';
const HEAD_END = Buffer.from('\r\n\r\n');

/** Split `host:port` (AWS_LAMBDA_RUNTIME_API). */
export function parseAddress(address) {
  const colon = (address || '').lastIndexOf(':');
  return { host: address.slice(0, colon), port: Number(address.slice(colon + 1)) };
}

/** One connection that carries one request at a time. */
class Connection {
  constructor(host, port) {
    this.socket = connect({ host, port });
    this.socket.setNoDelay(true);
    this.socket.unref();
    this.data = Buffer.alloc(0);
    this.waiter = null;
    this.dead = false;
    this.socket.on('data', (chunk) => this.onData(chunk));
    this.socket.on('error', (err) => this.onClose(err));
    this.socket.on('close', () => this.onClose(new Error('Runtime API connection closed')));
  }

  /** Send `head` (and `body`), resolve with `{status, headers, body}`. */
  exchange(head, body) {
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
      this.socket.ref();
      this.socket.write(body && body.length ? Buffer.concat([Buffer.from(head), body]) : head);
    });
  }

  onData(chunk) {
    this.data = this.data.length ? Buffer.concat([this.data, chunk]) : chunk;
    const end = this.data.indexOf(HEAD_END);
    if (end < 0 || !this.waiter) return;
    const lines = this.data.subarray(0, end).toString('latin1').split('\r\n');
    const headers = {};
    for (const line of lines.slice(1)) {
      const sep = line.indexOf(':');
      if (sep > 0) headers[line.slice(0, sep).toLowerCase()] = line.slice(sep + 1).trim();
    }
    const length = Number(headers['content-length'] || 0);
    if (this.data.length < end + 4 + length) return;
    const body = this.data.subarray(end + 4, end + 4 + length);
    this.data = this.data.subarray(end + 4 + length);
    const waiter = this.waiter;
    this.waiter = null;
    this.socket.unref();
    waiter.resolve({ status: Number(lines[0].split(' ')[1]), headers, body });
  }

  onClose(err) {
    this.dead = true;
    const waiter = this.waiter;
    this.waiter = null;
    if (waiter) waiter.reject(err);
  }
}

/** The Runtime API of `AWS_LAMBDA_RUNTIME_API`. */
export class RapidClient {
  /** `withBody`: a refused post is logged with the API's answer (as the 4.x client does). */
  constructor(address, withBody = false) {
    const { host, port } = parseAddress(address);
    this.host = host;
    this.port = port;
    this.address = address;
    this.withBody = withBody;
    this.conn = null;
  }

  /** POST a result; a refusal (e.g. 413, too large) is logged as AWS's native client logs it. */
  async postResult(path, headers, body) {
    const res = await this.request('POST', path, headers, body);
    if (res.status < 200 || res.status > 299) {
      const detail = this.withBody ? ` ${res.body.toString('utf8')}` : '';
      process.stdout.write(`[ERROR] [${Date.now()}] LAMBDA_RUNTIME Failed to post handler success `
        + `response. Http response code: ${res.status}.${detail}\n`);
    }
    return res;
  }

  /** A request on the shared connection, or on a new one while it is busy. */
  async request(method, path, headers, body) {
    let conn = this.conn;
    if (!conn || conn.dead || conn.waiter) {
      conn = new Connection(this.host, this.port);
      if (!this.conn || this.conn.dead) this.conn = conn;
    }
    let head = `${method} ${path} HTTP/1.1\r\nHost: ${this.address}\r\n`;
    for (const [name, value] of Object.entries(headers)) head += `${name}: ${value}\r\n`;
    const bytes = body === undefined ? undefined : Buffer.from(body, 'utf8');
    head += `Content-Length: ${bytes ? bytes.length : 0}\r\n\r\n`;
    try {
      return await conn.exchange(head, bytes);
    } finally {
      if (conn !== this.conn) conn.socket.destroy();
    }
  }

  /** GET /next: `{bodyJson, headers}` with Lambda's headers lower-cased. */
  async next() {
    const res = await this.request('GET', `${BASE}/invocation/next`, {});
    if (res.status !== 200) {
      throw new Error(`Failed to get next invocation, error ${res.status}`);
    }
    return { bodyJson: res.body.toString('utf8'), headers: res.headers };
  }

  /** POST /response with a JSON body already serialised. */
  postResponse(id, bodyString) {
    return this.postResult(`${BASE}/invocation/${encodeURIComponent(id)}/response`,
      { 'Content-Type': 'application/json' }, bodyString);
  }

  /** POST /error with the error JSON and its X-Ray cause. */
  postError(id, bodyString, xrayCause) {
    const headers = { 'Content-Type': 'application/json' };
    if (xrayCause) headers['Lambda-Runtime-Function-XRay-Error-Cause'] = xrayCause;
    return this.postResult(`${BASE}/invocation/${encodeURIComponent(id)}/error`, headers,
      bodyString);
  }

  /** POST /init/error with Lambda-Runtime-Function-Error-Type. */
  postInitError(response) {
    return this.request('POST', `${BASE}/init/error`, {
      'Content-Type': 'application/json',
      'Lambda-Runtime-Function-Error-Type': response.errorType,
    }, JSON.stringify(response));
  }

  /** Where a streamed response goes (the streaming module opens it with node:http). */
  responsePath(id) {
    return `${BASE}/invocation/${encodeURIComponent(id)}/response`;
  }
}
