import { readFile } from 'node:fs/promises'
import { resolveInterpreter } from '../bridge/interpreter.js'
import { calibrate } from './calibrate.js'
import { ProfileInputError } from './errors.js'
import { count, duration, pct } from './format.js'
import { parseBridgeStats, type BridgeFunctionStats } from './stats-input.js'
import type { Calibration } from './types.js'

export interface StatsAdvice {
  name: string
  calls: number
  totalMs: number
  meanMs: number
  /** Share of the time outside the Python function (bridge crossing and queueing), 0..1: measured when the
   *  stats have pythonMs, else estimated as calls × the bridge cost. */
  bridgeShare: number
  /** Estimated seconds saved over the recorded calls if ported and called in-process from TypeScript. */
  savedS: number
  reason: string
  errors: number
  timeouts: number
}

export interface StatsReport {
  source: string
  calibration: Calibration
  functions: StatsAdvice[]
  notes: string[]
}

/**
 * Advice for functions already called from a TypeScript host: a port removes the bridge crossing (calls × its
 * cost) and runs the Python work `speedup` times faster. Call stats cannot tell CPU from waiting, so the
 * estimate assumes CPU-bound work and says so.
 */
export function adviseFromStats(stats: BridgeFunctionStats[], c: Calibration, source: string): StatsReport {
  const functions = stats.map((s): StatsAdvice => {
    // with pythonMs the split is measured; without it, the bridge part is calls × the measured cost of a call
    const workMs = s.pythonMs !== undefined ? Math.min(s.totalMs, s.pythonMs) : Math.max(0, s.totalMs - (s.calls * c.bridgeUs) / 1000)
    const bridgeMs = Math.min(s.totalMs - workMs, (s.calls * c.bridgeUs) / 1000)
    const savedS = (bridgeMs + workMs * (1 - 1 / c.speedup)) / 1000
    const meanMs = s.calls > 0 ? s.totalMs / s.calls : 0
    const bridgeShare = s.totalMs > 0 ? (s.totalMs - workMs) / s.totalMs : 0
    let reason: string
    if (s.calls === 0) reason = 'never called: nothing to gain'
    else if (bridgeShare >= 0.5) {
      reason = `${count(s.calls)} calls of ${duration(meanMs / 1000)}, ${pct(bridgeShare)} of it the bridge: port it, or batch the calls with map()`
    } else {
      reason = `${count(s.calls)} calls of ${duration(meanMs / 1000)}: if it is CPU-bound a port saves ~${duration(savedS)} (check with \`pyport profile\`: call stats cannot tell CPU from waiting)`
    }
    if (s.errors + s.timeouts > 0) reason += `; ${s.errors} error(s), ${s.timeouts} timeout(s) to reproduce in the port`
    return { name: s.name, calls: s.calls, totalMs: s.totalMs, meanMs, bridgeShare, savedS, reason, errors: s.errors, timeouts: s.timeouts }
  })
  functions.sort((a, b) => b.savedS - a.savedS || a.name.localeCompare(b.name))
  return {
    source,
    calibration: c,
    functions,
    notes: ['from bridge call stats: times are per call as seen by the host (bridge included); CPU vs I/O is unknown, estimates assume CPU-bound work'],
  }
}

export async function readBridgeStats(file: string): Promise<BridgeFunctionStats[]> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    throw new ProfileInputError(`cannot read stats file "${file}": ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}. Save PythonBridge.stats() there as JSON first.`)
  }
  const stats = parseBridgeStats(text, file)
  if (stats.length === 0) throw new ProfileInputError(`${file} lists no functions: the bridge made no calls yet. Save the stats after the agent has run.`)
  return stats
}

export function renderStatsTable(r: StatsReport, top = 10): string {
  const lines = [
    `pyport profile --from-stats ${r.source}: ${r.functions.length} function(s), bridge ${r.calibration.bridgeUs.toFixed(0)} µs a call, TypeScript ${r.calibration.speedup.toFixed(1)}× faster`,
    '',
  ]
  const rows = r.functions.slice(0, top).map((f, i) => [
    String(i + 1),
    f.name,
    count(f.calls),
    duration(f.totalMs / 1000),
    duration(f.meanMs / 1000),
    pct(f.bridgeShare),
    f.savedS > 0 ? duration(f.savedS) : '–',
  ])
  const header = ['#', 'function', 'calls', 'total', 'per call', 'bridge', 'saved if ported']
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)))
  const fmt = (row: string[]) => row.map((c, i) => (i === 1 || i === 6 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ').trimEnd()
  lines.push(fmt(header))
  rows.forEach((row, i) => {
    lines.push(fmt(row))
    lines.push(`${' '.repeat((widths[0] ?? 1) + 2)}→ ${r.functions[i]?.reason ?? ''}`)
  })
  lines.push('', ...r.notes)
  return lines.join('\n') + '\n'
}

export interface FromStatsOptions {
  /** Python interpreter for the calibration (not needed when speedup and bridgeUs are both given). */
  python?: string
  speedup?: number
  bridgeUs?: number
}

/**
 * The advisor for an agent already behind the bridge: `stats` is what PythonBridge.stats() returned (or the path
 * of a JSON file holding it). Rejects with ProfileInputError when the stats are not in a shape it accepts.
 */
export async function profileFromStats(stats: unknown, options: FromStatsOptions = {}): Promise<StatsReport> {
  const source = typeof stats === 'string' ? stats : 'stats'
  const parsed = typeof stats === 'string' ? await readBridgeStats(stats) : parseBridgeStats(JSON.stringify(stats ?? null), 'stats')
  const { speedup, bridgeUs } = options
  for (const [k, v] of [['speedup', speedup], ['bridgeUs', bridgeUs]] as const) {
    if (v !== undefined && !(Number.isFinite(v) && v > 0)) throw new ProfileInputError(`${k} must be a finite number > 0, got ${String(v)}.`)
  }
  const python = speedup !== undefined && bridgeUs !== undefined ? '' : (await resolveInterpreter(options.python)).path
  const calibration = await calibrate({ python, ...(speedup !== undefined ? { speedup } : {}), ...(bridgeUs !== undefined ? { bridgeUs } : {}) })
  return adviseFromStats(parsed, calibration, source)
}
