// lambda_magic's built-in Node.js runtime: Node's standard library only, speaking Lambda's
// Runtime API (AWS_LAMBDA_RUNTIME_API) with the behaviour of AWS's Node.js runtime interface
// client. The runtime id in AWS_EXECUTION_ENV chooses the client generation: nodejs24.x and
// later behave as the 4.x client, older ids (nodejs20.x, nodejs22.x) as 3.x.
//
//   node bootstrap.mjs [handler]      (the handler defaults to _HANDLER; the task root is
//                                      LAMBDA_TASK_ROOT, else the working directory)
const match = /^AWS_Lambda_nodejs(\d+)/.exec(process.env.AWS_EXECUTION_ENV || '');
const v4 = match !== null && Number(match[1]) >= 24;
const handler = process.argv[2] || process.env._HANDLER || '';
const appRoot = process.env.LAMBDA_TASK_ROOT || process.cwd();
const { start } = await (v4 ? import('./v4.mjs') : import('./v3.mjs'));
start(appRoot, handler);
