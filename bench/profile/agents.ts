import { median } from '../../src/harness/stats.js'
import type { CheckRow } from '../../src/harness/types.js'
import { pythonFile } from '../../src/paths.js'
import type { FunctionClass, FunctionProfile, ProfileReport } from '../../src/profile/types.js'

/** What an agent program measured for itself (profile_*_agent.py with PYPORT_SPLIT_TRUTH): per part, its own CPU
 *  (time.thread_time while its own code ran) and its wall time. */
export interface AgentTruth {
  cpuS: number
  wallS: number
  parts: Record<string, { cpuS: number; wallS: number }>
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
    program: pythonFile('pyport', 'profile_threaded_agent.py'),
    // plan computes while three threads wait (sleep, socket recv, a child); two score at once and share the GIL;
    // main waits in join()
    expect: { plan: 'cpu', score: 'cpu', call_api: 'io', fetch_page: 'io', run_tool: 'io', main: 'io' },
  },
  {
    id: 'asyncio',
    title: 'asyncio agent',
    program: pythonFile('pyport', 'profile_async_agent.py'),
    // an LLM call, two searches and a child await; summarise computes in chunks, rank calls score in short bursts
    expect: { summarise: 'cpu', score: 'cpu', call_llm: 'io', search: 'io', run_tool: 'io', next_message: 'io', main: 'io' },
  },
]

const LABEL = { cpu: 'CPU', io: 'I/O' } as const
const pts = (x: number) => `${(x * 100).toFixed(1)} %`

/** The profiled run's figures for one part, in the terms its truth has. */
function measured(f: FunctionProfile | undefined, r: ProfileReport, kind: 'cpu' | 'io') {
  const self = f?.self
  const wall = self?.wallS ?? 0
  return {
    // CPU-bound parts: their share of the program's CPU; I/O-bound ones: their share of the program's wall time
    share: kind === 'cpu' ? (self?.cpuS ?? 0) / r.totals.cpuS : wall / r.totals.wallS,
    // the part of its own time it did not compute, in the bucket it belongs in: waiting to run (GIL, core,
    // the event loop busy) for CPU-bound code, I/O for the rest
    waits: wall > 0 ? (kind === 'cpu' ? (self?.gilS ?? 0) + (self?.coreS ?? 0) : (self?.ioS ?? 0)) / wall : 0,
  }
}

function truthOf(t: AgentTruth, part: string, kind: 'cpu' | 'io') {
  const p = t.parts[part]
  if (!p) return undefined
  return { share: kind === 'cpu' ? p.cpuS / t.cpuS : p.wallS / t.wallS, waits: p.wallS > 0 ? (p.wallS - p.cpuS) / p.wallS : 0 }
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
      return t ? [{ m: measured(r.report.functions.find((f) => f.name === name), r.report, cls), t }] : []
    })
    if (pairs.length > 0) {
      const shareErr = pairs.map((p) => Math.abs(p.m.share - p.t.share))
      const waitErr = pairs.map((p) => Math.abs(p.m.waits - p.t.waits))
      const shareOk = median(shareErr) <= tolerance
      const waitOk = median(waitErr) <= tolerance
      ok = ok && shareOk && waitOk
      const what = cls === 'cpu' ? 'CPU share' : 'wall share'
      const bucket = cls === 'cpu' ? 'waiting to run' : 'I/O wait'
      detail +=
        `; ${what} ${pts(median(pairs.map((p) => p.m.share)))} vs true ${pts(median(pairs.map((p) => p.t.share)))} ` +
        `(|Δ| median ${pts(median(shareErr))}, worst ${pts(Math.max(...shareErr))})` +
        `; ${bucket} ${pts(median(pairs.map((p) => p.m.waits)))} of its time vs true ${pts(median(pairs.map((p) => p.t.waits)))} ` +
        `(|Δ| median ${pts(median(waitErr))}, worst ${pts(Math.max(...waitErr))})`
    }
    return { name: `${agent.title}: ${name} classed ${LABEL[cls]}${pairs.length ? ', shares within ±5 points' : ''}`, ok, detail }
  })
}
