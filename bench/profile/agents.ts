import path from 'node:path'
import { median } from '../../src/harness/stats.js'
import type { CheckRow } from '../../src/harness/types.js'
import { packageRoot } from '../../src/paths.js'
import type { FunctionClass, FunctionProfile, ProfileReport } from '../../src/profile/types.js'

/** What an agent program measured for itself (bench/profile/*_agent.py with PYPORT_SPLIT_TRUTH): per part, its own CPU
 *  (time.thread_time while its own code ran) and its wall time. */
export interface AgentTruth {
  cpuS: number
  wallS: number
  /** ioS: the time blocked on I/O, where the program knows it (a sleep's length). */
  parts: Record<string, { cpuS: number; wallS: number; ioS?: number }>
}

export interface Agent {
  id: 'threaded' | 'asyncio'
  title: string
  program: string
  /** The class each function must get; parts named in the truth are also checked for their shares. */
  expect: Record<string, Exclude<FunctionClass, 'unknown' | 'mixed'>>
}

export const AGENTS: Agent[] = [
  {
    id: 'threaded',
    title: 'threaded agent',
    program: path.join(packageRoot, 'bench', 'profile', 'threaded_agent.py'),
    // plan computes while three threads wait (sleep, socket recv, a child); two score at once and share the GIL;
    // main waits in join()
    expect: { plan: 'cpu', score: 'cpu', call_api: 'io', fetch_page: 'io', run_tool: 'io', main: 'io' },
  },
  {
    id: 'asyncio',
    title: 'asyncio agent',
    program: path.join(packageRoot, 'bench', 'profile', 'async_agent.py'),
    // an LLM call, two searches and a child await; summarise computes in chunks, rank calls score in short bursts
    expect: { summarise: 'cpu', score: 'cpu', call_llm: 'io', search: 'io', run_tool: 'io', next_message: 'io', main: 'io' },
  },
]

const LABEL = { cpu: 'CPU', io: 'I/O' } as const
const pts = (x: number) => `${(x * 100).toFixed(1)} %`

/**
 * Which of a part's waits its truth can speak for: waiting to run (GIL, core, a busy event loop) for CPU-bound
 * code, which never blocks otherwise; I/O wait where the program knows how long it was blocked (a sleep); else all
 * its waiting (a thread woken from a socket or a child's exit then really waits for the GIL, and the program cannot
 * tell those apart: bench/profile/wait_methods.py measures that split against an outside observer).
 */
type WaitKind = 'to run' | 'I/O' | 'all'

function waitKind(kind: 'cpu' | 'io', truth: { ioS?: number }): WaitKind {
  return kind === 'cpu' ? 'to run' : truth.ioS !== undefined ? 'I/O' : 'all'
}

/** The profiled run's figures for one part, in the terms its truth has. */
function measured(f: FunctionProfile | undefined, r: ProfileReport, kind: 'cpu' | 'io', wk: WaitKind) {
  const self = f?.self
  const wall = self?.wallS ?? 0
  const waited = { 'to run': (self?.gilS ?? 0) + (self?.coreS ?? 0), 'I/O': self?.ioS ?? 0, all: wall - (self?.cpuS ?? 0) }[wk]
  return {
    // CPU-bound parts: their share of the program's CPU; I/O-bound ones: their share of the program's wall time
    share: kind === 'cpu' ? (self?.cpuS ?? 0) / r.totals.cpuS : wall / r.totals.wallS,
    waits: wall > 0 ? waited / wall : 0,
  }
}

function truthOf(t: AgentTruth, part: string, kind: 'cpu' | 'io') {
  const p = t.parts[part]
  if (!p) return undefined
  const wk = waitKind(kind, p)
  const waited = wk === 'I/O' ? (p.ioS ?? 0) : p.wallS - p.cpuS
  return { wk, share: kind === 'cpu' ? p.cpuS / t.cpuS : p.wallS / t.wallS, waits: p.wallS > 0 ? Math.min(1, waited / p.wallS) : 0 }
}

/**
 * One row per function: its class in every run, and (for the parts the program timed) its share and where its
 * waits went, each profiled run against the truth that same run measured for itself. A row passes when the class
 * is right in every run and both figures are within ±5 points (median over the runs).
 */
export function agentChecks(agent: Agent, runs: { report: ProfileReport; truth: AgentTruth | undefined }[], tolerance: number): CheckRow[] {
  return Object.entries(agent.expect).map(([name, cls]) => {
    const classes = runs.map((r) => r.report.functions.find((f) => f.name === name)?.class ?? 'missing')
    const right = classes.filter((c) => c === cls).length
    const wrong = classes.filter((c) => c !== cls)
    let detail = `class ${LABEL[cls]} in ${right}/${runs.length} runs${wrong.length ? ` (else ${[...new Set(wrong)].join(', ')})` : ''}`
    let ok = right === runs.length
    const pairs = runs.flatMap((r) => {
      const t = r.truth && truthOf(r.truth, name, cls)
      return t
        ? [
            {
              m: measured(
                r.report.functions.find((f) => f.name === name),
                r.report,
                cls,
                t.wk,
              ),
              t,
            },
          ]
        : []
    })
    if (pairs.length > 0) {
      const shareErr = pairs.map((p) => Math.abs(p.m.share - p.t.share))
      const waitErr = pairs.map((p) => Math.abs(p.m.waits - p.t.waits))
      const shareOk = median(shareErr) <= tolerance
      const waitOk = median(waitErr) <= tolerance
      ok = ok && shareOk && waitOk
      const what = cls === 'cpu' ? 'CPU share' : 'wall share'
      const bucket = { 'to run': 'waiting to run', 'I/O': 'I/O wait', all: 'waiting (I/O, GIL, core)' }[pairs[0]?.t.wk ?? 'all']
      detail +=
        `; ${what} ${pts(median(pairs.map((p) => p.m.share)))} vs true ${pts(median(pairs.map((p) => p.t.share)))} ` +
        `(|Δ| median ${pts(median(shareErr))}, worst ${pts(Math.max(...shareErr))})` +
        `; ${bucket} ${pts(median(pairs.map((p) => p.m.waits)))} of its time vs true ${pts(median(pairs.map((p) => p.t.waits)))} ` +
        `(|Δ| median ${pts(median(waitErr))}, worst ${pts(Math.max(...waitErr))})`
    }
    return { name: `${agent.title}: ${name} classed ${LABEL[cls]}${pairs.length ? ', shares within ±5 points' : ''}`, ok, detail }
  })
}
