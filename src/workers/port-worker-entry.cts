// The file piscina loads in each worker thread. piscina tries require() before import(), and on Node 20 a
// require() of an ES module (port-worker.js) can race its own loading and end the whole process with a V8 fatal
// error ("v8::Module::IsGraphAsync must be used on an instantiated module", seen once in a full test run). This
// entry is CommonJS, so require() loads it without require(esm), and it loads the ESM worker with import() once.
import type { PortReply, PortTask } from './port-protocol.js'

type RunPortTask = (task: PortTask) => Promise<PortReply>

let worker: Promise<RunPortTask> | undefined

function runPortTask(task: PortTask): Promise<PortReply> {
  worker ??= import('./port-worker.js').then((m: { default: RunPortTask }) => m.default)
  return worker.then((run) => run(task))
}

export = runPortTask
