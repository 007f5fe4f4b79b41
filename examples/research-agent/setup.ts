import path from 'node:path'
import {
  PythonBridge,
  WorkerPool,
  resolveMode,
  type Mode,
  type PortHandle,
  type PortOptions,
  type RecordPublisher,
} from '../../src/index.js'
import { compiledSibling, packageRoot } from '../../src/paths.js'

/** agent.py lives in the source tree; this file runs from dist/, so find it from the package root. */
export const agentDir = path.join(packageRoot, 'examples', 'research-agent')

export type PortChoice = 'fixed' | 'naive'

export interface AgentOptions {
  /** Default: PYPORT_MODE_RANK_DOCUMENTS, else PYPORT_MODE, else pyport.config.json, else python. */
  mode?: Mode | undefined
  /** Which TypeScript port runs: the correct one, or the first attempt with Math.round. */
  port?: PortChoice
  record?: string | RecordPublisher | undefined
  sample?: number | undefined
  readyAfter?: number
  threads?: number
  python?: string
  /** Relative float tolerance for scores (default 1e-12; 0 for bit-exact). */
  rtol?: number
}

export interface Agent {
  bridge: PythonBridge
  /** Calls a function of agent.py (answer, sample_questions, search, ...). */
  call<T>(fn: string, args: unknown[]): Promise<T>
  /** The port of rank_documents: agent.py calls it, decorated with @port; this is its mode and report. */
  port: PortHandle
  pool: WorkerPool
  close(): Promise<void>
}

/**
 * Starts Python with agent.py and a worker pool with the port. agent.py keeps its own answer(): the bridge's
 * `ports` option serves the calls that answer() makes to rank_documents (decorated with @port), in the port's mode.
 */
export async function openAgent(o: AgentOptions = {}): Promise<Agent> {
  // Resolved here as the bridge will (same option, env and config), to size the pool for the mode in force.
  const { mode } = resolveMode({ name: 'rank_documents', option: o.mode })
  const pool = new WorkerPool({
    // In shadow mode the port only checks Python's work: at nice 19 it takes CPU that Python leaves idle.
    niceIncrement: mode === 'shadow' ? 19 : 0,
    // The compiled port: next to this file under dist/, or found there when this runs from source (tests).
    filename: compiledSibling(import.meta.url, o.port === 'naive' ? 'ports/rank-documents-naive.js' : 'ports/rank-documents.js'),
    exportName: 'rankDocuments',
    threads: o.threads || undefined, // 0: the default
  })
  let bridge: PythonBridge<{ rank_documents: PortOptions }> | undefined
  try {
    bridge = new PythonBridge({
      cwd: agentDir,
      python: o.python || undefined, // '': the default
      ports: {
        rank_documents: {
          ts: pool,
          // V8's Math.log and the C library's log (which Python uses) can differ in the last bit, so BM25 scores
          // may differ by one ulp: accept a relative difference of 1e-12, nothing more.
          compare: { rtol: o.rtol ?? 1e-12 },
          mode: o.mode || undefined,
          record: o.record || undefined,
          sample: o.sample,
          readyAfter: o.readyAfter ?? 100,
        },
      },
    })
    const agent = await bridge.import('./agent.py')
    const b = bridge
    return {
      bridge: b,
      call: (fn, args) => agent.call(fn, args),
      port: b.ports.rank_documents,
      pool,
      async close() {
        await b.close()
        await pool.close()
      },
    }
  } catch (err) {
    await Promise.allSettled([bridge?.close(), pool.close()])
    throw err
  }
}
