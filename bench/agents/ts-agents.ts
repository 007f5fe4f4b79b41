/**
 * The `ts` variant of the agents suite: the TypeScript twin of the Python agents, each an async function; the
 * network wait is a timer, the think step runs on a WorkerPool of one thread per core.
 *   node ts-agents.js AGENTS STEPS IO_SECONDS ROUNDS
 */
import os from 'node:os'
import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import { compiledSibling } from '../../src/paths.js'
import { WorkerPool } from '../../src/workers/worker-pool.js'
import { toolCall, waitSeconds, type Answer } from './agent.js'
import { announceDone, announceStart, parseAgentsArgs } from './child-protocol.js'

const { agents, steps, ioS, rounds } = parseAgentsArgs(process.argv.slice(2), 'ts-agents.js')
const pool = new WorkerPool({
  filename: compiledSibling(import.meta.url, './agent.js'),
  exportName: 'think',
  threads: os.availableParallelism(),
})
await pool.ready()

async function agent(i: number): Promise<[Answer[], number]> {
  const t0 = performance.now()
  const answers: Answer[] = []
  for (let step = 0; step < steps; step++) {
    const [ids, docs, seed] = toolCall(i, step)
    await sleep(waitSeconds(i, step, ioS) * 1000)
    answers.push(await pool.apply<Answer>([ids, docs, seed, rounds]))
  }
  return [answers, (performance.now() - t0) / 1000]
}

announceStart()
const t0 = performance.now()
const out = await Promise.all(Array.from({ length: agents }, (_, i) => agent(i)))
const wallS = (performance.now() - t0) / 1000
await announceDone({ wallS, latencies: out.map((o) => o[1]), answers: out.map((o) => o[0]) })
await pool.close()
