import path from 'node:path'
import { PythonBridge, WorkerPool, hybrid, resolveMode, type HybridFunction, type Mode, type RecordPublisher } from '../../src/index.js'
import { compiledSibling, packageRoot } from '../../src/paths.js'
import type { Doc, Ranked } from './ports/bm25.js'

/** agent.py lives in the source tree; this file runs from dist/, so find it from the package root. */
export const agentDir = path.join(packageRoot, 'examples', 'research-agent')

export type PortChoice = 'fixed' | 'naive'

export interface AgentOptions {
  /** Default: PYPORT_MODE_RANK_DOCUMENTS, else PYPORT_MODE, else pyport.config.json, else python. */
  mode?: Mode
  /** Which TypeScript port runs: the correct one, or the first attempt with Math.round. */
  port?: PortChoice
  record?: string | RecordPublisher
  sample?: number
  readyAfter?: number
  threads?: number
  python?: string
  /** Relative float tolerance for scores (default 1e-12; 0 for bit-exact). */
  rtol?: number
}

export interface Agent {
  bridge: PythonBridge
  call<T>(fn: string, args: unknown[]): Promise<T>
  /** rank_documents, in Python, in the TypeScript port, or both (shadow). */
  rank: HybridFunction<[string, Doc[], number], Ranked[]>
  pool: WorkerPool
  close(): Promise<void>
}

/** Starts Python with agent.py, a worker pool with the port, and the hybrid rank_documents between them. */
export async function openAgent(o: AgentOptions = {}): Promise<Agent> {
  // Resolved here as hybrid() will (same option, env and config), to size the pool for the mode in force.
  const { mode } = resolveMode({ name: 'rank_documents', option: o.mode })
  const bridge = new PythonBridge({ cwd: agentDir, ...(o.python ? { python: o.python } : {}) })
  const pool = new WorkerPool({
    // In shadow mode the port only checks Python's work: at nice 19 it takes CPU that Python leaves idle.
    niceIncrement: mode === 'shadow' ? 19 : 0,
    // The compiled port: next to this file under dist/, or found there when this runs from source (tests).
    filename: compiledSibling(import.meta.url, o.port === 'naive' ? 'ports/rank-documents-naive.js' : 'ports/rank-documents.js'),
    exportName: 'rankDocuments',
    ...(o.threads ? { threads: o.threads } : {}),
  })
  try {
    const agent = await bridge.import('./agent.py')
    const rank = hybrid<[string, Doc[], number], Ranked[]>({
      name: 'rank_documents',
      python: (query, docs, k) => agent.call<Ranked[]>('rank_documents', [query, docs, k]),
      ts: pool,
      // V8's Math.log and the C library's log (which Python uses) can differ in the last bit, so BM25 scores
      // may differ by one ulp: accept a relative difference of 1e-12, nothing more.
      compare: { rtol: o.rtol ?? 1e-12 },
      ...(o.mode ? { mode: o.mode } : {}),
      ...(o.record ? { record: o.record } : {}),
      ...(o.sample !== undefined ? { sample: o.sample } : {}),
      readyAfter: o.readyAfter ?? 100,
    })
    return {
      bridge,
      call: (fn, args) => agent.call(fn, args),
      rank,
      pool,
      async close() {
        await rank.close()
        await Promise.all([pool.close(), bridge.close()])
      },
    }
  } catch (err) {
    await Promise.allSettled([pool.close(), bridge.close()])
    throw err
  }
}
