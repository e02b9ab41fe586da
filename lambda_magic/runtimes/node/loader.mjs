// Finding the handler as Lambda's Node.js runtime does: `[dir/]file.export[.nested]` resolved
// against the task root. Client 3.x requires CommonJS files (extensionless, `.js` unless the
// nearest package.json says "type": "module", `.cjs`) and imports ES modules (`.mjs`, or `.js`
// under "type": "module"); 4.x imports every candidate and falls back to `default`.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

import { wrapLoadError } from './errors.mjs';

const require = createRequire(import.meta.url);
const FUNCTION_EXPR = /^([^.]*)\.(.*)$/;

/** `{moduleRoot, moduleName, handlerName}` of a handler string, or Runtime.MalformedHandlerName. */
export function parseHandler(full, errors) {
  if (full.includes('..')) {
    throw new errors.MalformedHandlerName(`'${full}' is not a valid handler name. Use absolute `
      + 'paths when specifying root directories in handler names.');
  }
  const base = path.basename(full);
  const match = base.match(FUNCTION_EXPR);
  if (!match || match.length !== 3) throw new errors.MalformedHandlerName('Bad handler');
  return { moduleRoot: full.substring(0, full.indexOf(base)), moduleName: match[1],
    handlerName: match[2] };
}

function folderIsModule(folder) {
  if (folder.endsWith('/node_modules')) return false;
  const pj = path.join(folder, '/package.json');
  if (existsSync(pj)) {
    try {
      const pkg = JSON.parse(readFileSync(pj));
      if (pkg) return pkg.type === 'module';
    } catch (e) {
      console.warn(`${pj} cannot be read, it will be ignored for ES module detection purposes.`, e);
      return false;
    }
  }
  return folder === '/' ? false : folderIsModule(path.resolve(folder, '..'));
}

const tryRequire = (file) => (existsSync(file) ? require(file) : undefined);
const tryImport = async (file) => (existsSync(file) ? await import(file) : undefined);

async function loadV3(appRoot, moduleRoot, moduleName) {
  const base = path.resolve(appRoot, moduleRoot, moduleName);
  const extensionless = tryRequire(base);
  if (extensionless) return extensionless;
  const isModule = existsSync(base + '.js') && folderIsModule(path.dirname(base + '.js'));
  if (!isModule) {
    const loaded = tryRequire(base + '.js');
    if (loaded) return loaded;
  }
  const loaded = (isModule && (await tryImport(base + '.js')))
    || (await tryImport(base + '.mjs')) || tryRequire(base + '.cjs');
  if (loaded) return loaded;
  return require(require.resolve(moduleName, { paths: [appRoot, moduleRoot] }));
}

async function loadV4(appRoot, moduleRoot, moduleName) {
  const root = moduleRoot.replace(/\/$/, '');
  const base = path.resolve(appRoot, root, moduleName);
  for (const extension of ['', '.js', '.mjs', '.cjs']) {
    const loaded = await tryImport(base + extension);
    if (loaded) return loaded;
  }
  return require(require.resolve(moduleName, { paths: [appRoot, path.join(appRoot, root)] }));
}

function findV3(name, module) {
  return name.split('.').reduce((nested, key) => nested && nested[key], module);
}

function findV4(name, module) {
  const find = (root) => name.split('.').reduce(
    (nested, key) => (nested && typeof nested === 'object' ? nested[key] : undefined), root);
  let handler = find(module);
  if (!handler && typeof module === 'object' && module !== null && 'default' in module) {
    handler = find(module.default);
  }
  return handler;
}

/** Load the module named by the handler string and return its handler function. */
export async function loadHandler(appRoot, full, errors, v4) {
  const { moduleRoot, moduleName, handlerName } = parseHandler(full, errors);
  let module;
  try {
    module = await (v4 ? loadV4 : loadV3)(appRoot, moduleRoot, moduleName);
  } catch (err) {
    throw wrapLoadError(err, errors, v4);
  }
  const handler = (v4 ? findV4 : findV3)(handlerName, module);
  if (!handler) throw new errors.HandlerNotFound(`${full} is undefined or not exported`);
  if (typeof handler !== 'function') throw new errors.HandlerNotFound(`${full} is not a function`);
  return handler;
}

const STREAMING = Symbol.for('aws.lambda.runtime.handler.streaming');
const HIGH_WATER_MARK = Symbol.for('aws.lambda.runtime.handler.streaming.highWaterMark');

/** What the runtime needs to know of a handler: streaming, its highWaterMark, its arity. */
export function handlerMetadata(handler, errors) {
  const mode = handler[STREAMING];
  if (mode && mode !== 'response') {
    throw new errors.MalformedStreamingHandler('Only response streaming is supported.');
  }
  const hwm = Number(handler[HIGH_WATER_MARK]);
  const highWaterMark = Number.isNaN(hwm) || !hwm ? undefined : hwm;
  return { streaming: mode === 'response', highWaterMark, argsNum: handler.length };
}

/** `awslambda.streamifyResponse` marks a handler as streaming. */
export function streamifyResponse(handler, options) {
  handler[STREAMING] = 'response';
  if (typeof options?.highWaterMark === 'number') {
    handler[HIGH_WATER_MARK] = parseInt(options.highWaterMark);
  }
  return handler;
}
