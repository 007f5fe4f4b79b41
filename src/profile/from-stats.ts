import { PyportOptionError } from '../errors.js'
import { readFile } from 'node:fs/promises'
import { resolveInterpreter } from '../bridge/interpreter.js'
import { calibrate } from './calibrate.js'
import { ProfileInputError } from './errors.js'
import { count, duration, pct } from './format.js'
import { parseStatsInput, type BridgeFunctionStats, type BridgeInterpreters, type StatsInput } from './stats-input.js'
import type { Calibration } from './types.js'

export interface StatsAdvice {
  name: string
  calls: number
  /** Python invocations: more than calls when the calls came from map(). */
  items: number
  totalMs: number
  meanMs: number
  /** Share of the round trips spent crossing the bridge, 0..1: the measured remainder when the stats have
   *  pythonMs, else estimated as calls × the bridge cost. */
  bridgeShare: number
  /** Share spent waiting in line for a free Python thread, 0..1 (see `queue`). */
  queuedShare: number
  /** Where queuedShare comes from: 'measured' (the bridge's queuedMs, plus any round trip left unexplained by
   *  pythonMs and the bridge cost), 'estimated' (round trip − pythonMs − bridge cost: older stats), 'unknown'. */
  queue: 'measured' | 'estimated' | 'unknown'
  /** Estimated seconds saved over the recorded calls if ported and called in-process from TypeScript (queueing is
   *  not counted: raising concurrency removes it without a port). */
  savedS: number
  reason: string
  errors: number
  timeouts: number
}

export interface StatsReport {
  source: string
  calibration: Calibration
  interpreters: BridgeInterpreters
  functions: StatsAdvice[]
  notes: string[]
}

const callsText = (n: number) => `${count(n)} call${n === 1 ? '' : 's'}`

/** How one function's round trips split into work in Python, bridge crossing and queueing, in ms. */
export function splitRoundTrips(
  s: BridgeFunctionStats,
  c: Calibration,
): { workMs: number; bridgeMs: number; queueMs: number; queue: StatsAdvice['queue'] } {
  const bridgeEstMs = (s.calls * c.bridgeUs) / 1000
  const fromMap = (s.items ?? s.calls) > s.calls
  if (s.pythonMs === undefined) {
    const queueMs = Math.min(s.totalMs, s.queuedMs ?? 0)
    const workMs = Math.max(0, s.totalMs - queueMs - bridgeEstMs)
    return {
      workMs,
      queueMs,
      bridgeMs: Math.max(0, s.totalMs - workMs - queueMs),
      queue: s.queuedMs !== undefined ? 'measured' : 'unknown',
    }
  }
  const workMs = Math.min(s.totalMs, s.pythonMs)
  const outside = s.totalMs - workMs
  // a map() call carries all its items across at once: its crossing costs more than one call's, by an amount
  // unknown here, so only the measured queueing counts for it; for single calls, whatever the bridge cost and the
  // work do not explain was waiting in line (on the host, or in Python: the part queuedMs measured)
  const unexplained = fromMap ? 0 : Math.max(0, outside - bridgeEstMs)
  const queueMs = Math.min(outside, Math.max(s.queuedMs ?? 0, unexplained))
  return { workMs, queueMs, bridgeMs: outside - queueMs, queue: s.queuedMs !== undefined ? 'measured' : 'estimated' }
}

/**
 * Advice for functions already called from a TypeScript host: a port removes the bridge crossing (calls × its
 * cost) and runs the Python work `speedup` times faster. Calls that waited in line for a free Python thread are
 * told so (raise concurrency, or use a PythonPool): porting is not the fix for queueing. Call stats cannot tell
 * CPU from waiting, so the estimate assumes CPU-bound work and says so.
 */
export function adviseFromStats(
  stats: BridgeFunctionStats[],
  c: Calibration,
  source: string,
  interpreters: BridgeInterpreters = {},
): StatsReport {
  const lanes =
    interpreters.concurrency !== undefined
      ? `concurrency ${interpreters.concurrency}${interpreters.size !== undefined && interpreters.size > 1 ? ` on each of ${interpreters.size} interpreters` : ''}`
      : 'its concurrency'
  const functions = stats.map((s): StatsAdvice => {
    const { workMs, bridgeMs, queueMs, queue } = splitRoundTrips(s, c)
    const items = s.items ?? s.calls
    const savedS = (bridgeMs + workMs * (1 - 1 / c.speedup)) / 1000
    const meanMs = s.calls > 0 ? s.totalMs / s.calls : 0
    const bridgeShare = s.totalMs > 0 ? bridgeMs / s.totalMs : 0
    const queuedShare = s.totalMs > 0 ? queueMs / s.totalMs : 0
    const ifCpu = `if it is CPU-bound a port saves ~${duration(savedS)} (check with \`pyport profile\`: call stats cannot tell CPU from waiting)`
    const queueFix = `raise \`concurrency\` if the calls wait on I/O, or spread them over a PythonPool if they compute`
    let reason: string
    if (s.calls === 0) reason = 'never called: nothing to gain'
    else if (queuedShare >= 0.5) {
      reason = `${callsText(s.calls)} of ${duration(meanMs / 1000)}, ${pct(queuedShare)} of it waiting in line for a free Python thread (${lanes}): ${queueFix}; ${ifCpu}`
    } else if (bridgeShare >= 0.5 && items > s.calls) {
      reason =
        `${s.calls} map() call${s.calls === 1 ? '' : 's'} of ${count(items)} items (${duration(meanMs / 1000)} a call), ${pct(bridgeShare)} of it crossing the bridge: ` +
        'already batched, so the cost is the data each call carries — port it, or send less per item'
    } else if (bridgeShare >= 0.5) {
      reason = `${callsText(s.calls)} of ${duration(meanMs / 1000)}, ${pct(bridgeShare)} of it the bridge: port it, or batch the calls with map()`
    } else {
      reason = `${callsText(s.calls)} of ${duration(meanMs / 1000)}: ${ifCpu}`
      if (queuedShare >= 0.2) reason += `; ${pct(queuedShare)} of it waiting in line for a free Python thread: ${queueFix}`
    }
    if (s.errors + s.timeouts > 0) reason += `; ${s.errors} error(s), ${s.timeouts} timeout(s) to reproduce in the port`
    return {
      name: s.name,
      calls: s.calls,
      items,
      totalMs: s.totalMs,
      meanMs,
      bridgeShare,
      queuedShare,
      queue,
      savedS,
      reason,
      errors: s.errors,
      timeouts: s.timeouts,
    }
  })
  functions.sort((a, b) => b.savedS - a.savedS || a.name.localeCompare(b.name))
  return {
    source,
    calibration: c,
    interpreters,
    functions,
    notes: [
      'from bridge call stats: times are per call as seen by the host (bridge and queueing included); CPU vs I/O is unknown, estimates assume CPU-bound work',
      'queued: round trip − time in Python − bridge cost (the bridge measures the part spent waiting in Python for a free thread); a port does not remove it, more concurrency or a PythonPool does',
    ],
  }
}

export async function readBridgeStats(file: string): Promise<StatsInput> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    throw new ProfileInputError(
      `cannot read stats file "${file}": ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}. Save PythonBridge.stats() there as JSON first.`,
    )
  }
  const stats = parseStatsInput(text, file)
  if (stats.functions.length === 0)
    throw new ProfileInputError(`${file} lists no functions: the bridge made no calls yet. Save the stats after the agent has run.`)
  return stats
}

export interface FromStatsOptions {
  /** Python interpreter for the calibration (not needed when speedup and bridgeUs are both given). */
  python?: string | undefined
  speedup?: number | undefined
  bridgeUs?: number | undefined
}

/**
 * The advisor for an agent already behind the bridge: `stats` is what PythonBridge.stats() returned (or the path
 * of a JSON file holding it). Rejects with ProfileInputError when the stats are not in a shape it accepts, and with
 * PyportOptionError for a bad option.
 */
export async function profileFromStats(stats: unknown, options: FromStatsOptions = {}): Promise<StatsReport> {
  const { speedup, bridgeUs } = options
  for (const [k, v] of [
    ['speedup', speedup],
    ['bridgeUs', bridgeUs],
  ] as const) {
    if (v !== undefined && !(Number.isFinite(v) && v > 0))
      throw new PyportOptionError({ option: k, expected: 'a finite number > 0', received: v, owner: 'profileFromStats' })
  }
  const source = typeof stats === 'string' ? stats : 'stats'
  const parsed = typeof stats === 'string' ? await readBridgeStats(stats) : parseStatsInput(JSON.stringify(stats ?? null), 'stats')
  const python = speedup !== undefined && bridgeUs !== undefined ? '' : (await resolveInterpreter(options.python)).path
  const calibration = await calibrate({ python, speedup, bridgeUs })
  return adviseFromStats(parsed.functions, calibration, source, parsed.interpreters)
}
