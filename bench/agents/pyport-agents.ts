/**
 * The two pyport variants of the agents suite, the Python agents of agent.py run from a TypeScript host:
 *   pool     unported, on a PythonPool of one interpreter per core; every agent is one call of run_agent, and each
 *            interpreter runs enough calls at once (`concurrency`) for every agent's waits to overlap
 *   hybrid   one interpreter runs every agent on its own thread (variants.run_threads); their think step is
 *            decorated with @port("think") and served here by a WorkerPool of one thread per core
 *   node pyport-agents.js pool|hybrid PYTHON AGENTS STEPS IO_SECONDS ROUNDS
 */
import os from 'node:os'
import { performance } from 'node:perf_hooks'
import { PythonBridge } from '../../src/bridge/bridge.js'
import { PythonPool } from '../../src/bridge/pool.js'
import { compiledSibling } from '../../src/paths.js'
import { WorkerPool } from '../../src/workers/worker-pool.js'
import type { Answer } from './agent.js'
import { announceDone, announceStart, parseAgentsArgs } from './child-protocol.js'
import { agentsDir } from './variants.js'

const usage = 'pyport-agents.js pool|hybrid PYTHON'
const [variant, python, ...rest] = process.argv.slice(2)
if ((variant !== 'pool' && variant !== 'hybrid') || !python) {
  process.stderr.write(`usage: ${usage} AGENTS STEPS IO_SECONDS ROUNDS\n`)
  process.exit(2)
}
const args = parseAgentsArgs(rest, usage)
const cwd = agentsDir
const cores = os.availableParallelism()
/** The run itself has no timeout of its own: the suite stops a variant that runs too long. */
const timeoutMs = 0

async function runPool(): Promise<void> {
  const pool = new PythonPool({ python, cwd, size: cores, concurrency: Math.ceil(args.agents / cores), timeoutMs })
  try {
    const mod = await pool.import('./agent.py')
    announceStart()
    const t0 = performance.now()
    const out = await Promise.all(
      Array.from({ length: args.agents }, async (_, i) => {
        const start = performance.now()
        const [answers] = await mod.call<[Answer[], number]>('run_agent', [i, args.steps, args.ioS, args.rounds])
        return { answers, latency: (performance.now() - start) / 1000 }
      }),
    )
    await announceDone({ wallS: (performance.now() - t0) / 1000, latencies: out.map((o) => o.latency), answers: out.map((o) => o.answers) })
  } finally {
    await pool.close()
  }
}

async function runHybrid(): Promise<void> {
  const think = new WorkerPool({ filename: compiledSibling(import.meta.url, './agent.js'), exportName: 'think', threads: cores })
  const py = new PythonBridge({ python, cwd, timeoutMs, ports: { think: { ts: think, mode: 'ts' } } })
  try {
    const mod = await py.import('./variants.py')
    await think.ready()
    announceStart()
    const [wallS, latencies, answers] = await mod.call<[number, number[], Answer[][]]>('run_threads', [
      args.agents,
      args.steps,
      args.ioS,
      args.rounds,
    ])
    await announceDone({ wallS, latencies, answers })
  } finally {
    await py.close()
    await think.close()
  }
}

await (variant === 'pool' ? runPool() : runHybrid())
