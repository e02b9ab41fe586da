"""Handlers that every Node.js runtime test can run: each case is the function's files, its
handler string, its configuration and the invocations to make (an event, or raw ``payload``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

LOGS = """
console.log("init", { x: 1 });
export const handler = async (event, context) => {
  console.log("hello\\nworld", event);
  console.info("info %s=%d", "n", 5);
  console.warn("warn");
  console.error("error", new Error("logged"));
  console.debug("debug");
  console.trace("trace");
  console.fatal("fatal");
  console.log();
  return { ok: true, n: event.n };
};
"""

CONTEXT = """
export const handler = async (event, context) => ({
  keys: Object.keys(context),
  plain: JSON.parse(JSON.stringify(context)),
  remainingSeconds: Math.round(context.getRemainingTimeInMillis() / 1000),
  trace: process.env._X_AMZN_TRACE_ID,
  globals: Object.keys(globalThis.awslambda || {}),
});
"""


@dataclass
class Case:
    """One function and the invocations to make of it."""

    files: dict[str, str]
    handler: str = "index.handler"
    events: list[Any] = field(default_factory=lambda: [{"n": 1}])
    config: dict[str, Any] = field(default_factory=dict)
    payload: bytes | None = None
    invoke: dict[str, Any] = field(default_factory=dict)
    #: Under 4.0.2 the client asks for the next event before its error trailers are sent, and
    #: exits when that /next is refused: only the records up to the error are compared.
    next_races_trailers: bool = False


def esm(body: str) -> dict[str, str]:
    """An index.mjs function."""
    return {"index.mjs": body}


CASES: dict[str, Case] = {
    "logs": Case(esm(LOGS), events=[{"n": 1}, {"n": 2}]),
    "json-logs": Case(esm(LOGS), config={"log_format": "JSON"}),
    "json-logs-warn": Case(esm(LOGS), config={"log_format": "JSON", "log_level": "WARN"}),
    "context": Case(
        esm(CONTEXT),
        invoke={
            "client_context": {"custom": {"k": "v"}},
            "identity": {"cognitoIdentityId": "id-1"},
        },
    ),  # fmt: skip
    "promise": Case(esm("export function handler(e) { return Promise.resolve({ got: e }); }")),
    "sync-return": Case(esm("export function handler(e) { return { sync: true }; }")),
    "undefined": Case(esm("export const handler = async () => {};")),
    "callback": Case(esm("export function handler(e, c, cb) { cb(null, { cb: e.n }); }")),
    "callback-waits": Case(
        esm("""
        export function handler(e, c, cb) {
          setTimeout(() => console.log("timer ran"), 50);
          cb(null, "done");
        }""")
    ),
    "callback-no-wait": Case(
        esm("""
        export function handler(e, c, cb) {
          c.callbackWaitsForEmptyEventLoop = false;
          setTimeout(() => console.log("timer ran"), 300);
          cb(null, "done");
        }""")
    ),
    "callback-error": Case(esm("export function handler(e, c, cb) { cb('plain string'); }")),
    "context-succeed": Case(
        esm("export function handler(e, c) { c.succeed({ via: 'succeed' }); }")
    ),
    "context-fail": Case(esm("export function handler(e, c) { c.fail(new Error('via fail')); }")),
    "context-done": Case(esm("export function handler(e, c) { c.done(null, 'via done'); }")),
    "throw": Case(
        esm("""
        class MyError extends Error {
          constructor(m) { super(m); this.name = "MyError"; this.code = 7; }
        }
        export const handler = async () => { throw new MyError("bad\\nthing"); };""")
    ),
    "throw-string": Case(esm("export const handler = async () => { throw 'just text'; };")),
    "circular": Case(
        esm("export const handler = async () => { const a = {}; a.a = a; return a; };")
    ),
    "too-large": Case(
        esm("export const handler = async () => 'x'.repeat(7 * 1024 * 1024);"), events=[{}, {}]
    ),
    "bad-event": Case(esm("export const handler = async (e) => e;"), payload=b"\xef\xbb\xbf{}"),
    "uncaught": Case(
        esm("""
        export const handler = async () => {
          setTimeout(() => { throw new RangeError("from a timer"); }, 10);
          return new Promise((resolve) => setTimeout(resolve, 500));
        };""")
    ),
    "unhandled-rejection": Case(
        esm("""
        export const handler = async () => {
          Promise.reject(new Error("nobody waits"));
          return new Promise((resolve) => setTimeout(resolve, 500));
        };""")
    ),
    "never-settles": Case(esm("export const handler = () => new Promise(() => {});")),
    "not-found": Case(esm("export const other = 1;")),
    "json-init-error": Case(esm("export const other = 1;"), config={"log_format": "JSON"}),
    "error-with-cause": Case(
        esm("""
        export const handler = async () => {
          const err = new Error("outer", { cause: new Error("inner") });
          console.log("logged", err);
          throw err;
        };""")
    ),
    "not-a-function": Case(esm("export const handler = 42;")),
    "malformed": Case(esm("export const handler = async () => 1;"), handler="index"),
    "relative": Case(esm("export const handler = async () => 1;"), handler="../index.handler"),
    "missing-module": Case(esm("export const handler = async () => 1;"), handler="nope.handler"),
    "syntax-esm": Case(esm("export const handler = async () => { return 1 +; };")),
    "syntax-cjs": Case({"index.js": "exports.handler = async () => { return 1 +; };"}),
    "esm-in-plain-js": Case({"index.js": "export const handler = async () => 1;"}),
    "missing-package-esm": Case(esm("import x from 'no-such-package';\nexport const handler = x;")),
    "missing-package-cjs": Case(
        {"index.js": "const x = require('no-such-package');\nexports.handler = async () => x;"}
    ),  # fmt: skip
    "top-level-throw": Case(esm('throw new TypeError("top level");\nexport const handler = 1;')),
    "cjs": Case({"index.js": "exports.handler = async (e) => ({ cjs: e.n });"}),
    "cjs-ext": Case({"app.cjs": "module.exports.run = async () => 'cjs file';"}, "app.run"),
    "type-module": Case(
        {
            "index.js": "export const handler = async () => 'esm .js';",
            "package.json": '{"type": "module"}',
        }
    ),  # fmt: skip
    "nested": Case(
        esm("export const api = { v1: { get: async () => 'nested' } };"), handler="index.api.v1.get"
    ),  # fmt: skip
    "subdir": Case(
        {"src/app/main.mjs": "export const fn = async () => 'in a folder';"},
        handler="src/app/main.fn",
    ),  # fmt: skip
    "default-export": Case(esm("export default { handler: async () => 'from default' };")),
    "stream": Case(
        esm("""
        export const handler = awslambda.streamifyResponse(async (event, stream, context) => {
          stream.write("one,");
          stream.write(Buffer.from("two,"));
          stream.write({ three: 3 });
          stream.end();
        });""")
    ),
    "stream-http": Case(
        esm("""
        export const handler = awslambda.streamifyResponse(async (event, stream) => {
          stream = awslambda.HttpResponseStream.from(stream, {
            statusCode: 201, headers: { "x-a": "b" } });
          stream.write("body");
          stream.end();
        });""")
    ),
    "stream-error": Case(
        esm("""
        export const handler = awslambda.streamifyResponse(async (event, stream) => {
          stream.write("partial");
          throw new Error("mid-stream");
        });"""),
        next_races_trailers=True,
    ),
    "stream-not-async": Case(
        esm("""
        export const handler = awslambda.streamifyResponse((event, stream) => { stream.end(); });
        """),
        next_races_trailers=True,
    ),
    "stream-return-value": Case(
        esm("""
        export const handler = awslambda.streamifyResponse(async (event, stream) => {
          stream.end("x"); return "ignored";
        });""")
    ),
}
