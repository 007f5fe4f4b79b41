import { ProfileInputError } from './errors.js'

/**
 * One Python function's figures as PythonBridge.stats() reports them, normalised. Accepted input (JSON):
 *   - an object keyed by function name: { "sum_primes": { calls, totalMs, p50Ms, p99Ms, errors, ... }, ... }
 *   - the same nested one level by module: { "agent.py": { "sum_primes": {...} } }
 *   - a list of objects with a name field (function | name | fn | key), prefixed with "module." when a module
 *     field is present — PythonBridge.stats() itself: { functions: [{ module, function, calls, totalMs, ... }], interpreters }
 *   - any of these under a top-level "functions" or "stats" field.
 * Field spellings accepted: calls|count; items (Python invocations: more than calls for map()); totalMs|total_ms|timeMs;
 * meanMs|avgMs (used when total is missing); pythonMs|python_ms (time inside the function, when the bridge measured
 * it); queuedMs|queued_ms (time the calls waited in Python for a free thread);
 * p50Ms|p50|p50_ms (and p95, p99 likewise); errors; timeouts; bytesSent|bytes_sent; bytesReceived|bytes_received.
 * Times are milliseconds. calls is required; a total or a mean time is required.
 */
export interface BridgeFunctionStats {
  name: string
  calls: number
  /** Python invocations: one per call, one per item of a map() (absent in older stats: then equal to calls). */
  items?: number
  totalMs: number
  /** Time inside the Python function itself (the bridge's shim measures it): no bridge, no queueing. */
  pythonMs?: number
  /** Time the calls waited in Python for a free thread (all `concurrency` threads busy). */
  queuedMs?: number
  p50Ms?: number
  p95Ms?: number
  p99Ms?: number
  errors: number
  timeouts: number
  bytesSent?: number
  bytesReceived?: number
}

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)

function pick(o: Obj, names: string[]): unknown {
  for (const n of names) if (o[n] !== undefined) return o[n]
  return undefined
}

function num(o: Obj, names: string[], where: string, required: boolean): number | undefined {
  const v = pick(o, names)
  if (v === undefined || v === null) {
    if (required) throw new ProfileInputError(`${where}: missing "${names[0]}" (a number). Save PythonBridge.stats() with JSON.stringify.`)
    return undefined
  }
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    throw new ProfileInputError(`${where}: "${names[0]}" must be a finite number >= 0, got ${JSON.stringify(v)}.`)
  }
  return v
}

function looksLikeStats(o: Obj): boolean {
  return pick(o, ['calls', 'count']) !== undefined
}

function one(name: string, o: Obj, where: string): BridgeFunctionStats {
  const calls = num(o, ['calls', 'count'], where, true) as number
  if (!Number.isInteger(calls)) throw new ProfileInputError(`${where}: "calls" must be a whole number, got ${calls}.`)
  let total = num(o, ['totalMs', 'total_ms', 'timeMs', 'totalTimeMs'], where, false)
  if (total === undefined) {
    const mean = num(o, ['meanMs', 'avgMs', 'mean_ms'], where, false)
    if (mean === undefined)
      throw new ProfileInputError(`${where}: needs "totalMs" (or "meanMs"), the time spent in calls, in milliseconds.`)
    total = mean * calls
  }
  const opt = (names: string[]) => num(o, names, where, false)
  const s: BridgeFunctionStats = {
    name,
    calls,
    totalMs: total,
    errors: opt(['errors']) ?? 0,
    timeouts: opt(['timeouts']) ?? 0,
  }
  const extra: [keyof BridgeFunctionStats, string[]][] = [
    ['items', ['items']],
    ['pythonMs', ['pythonMs', 'python_ms']],
    ['queuedMs', ['queuedMs', 'queued_ms']],
    ['p50Ms', ['p50Ms', 'p50', 'p50_ms']],
    ['p95Ms', ['p95Ms', 'p95', 'p95_ms']],
    ['p99Ms', ['p99Ms', 'p99', 'p99_ms']],
    ['bytesSent', ['bytesSent', 'bytes_sent']],
    ['bytesReceived', ['bytesReceived', 'bytes_received']],
  ]
  for (const [k, names] of extra) {
    const v = opt(names)
    if (v !== undefined) (s as unknown as Record<string, number>)[k] = v
  }
  if (s.items !== undefined && !Number.isInteger(s.items))
    throw new ProfileInputError(`${where}: "items" must be a whole number, got ${s.items}.`)
  return s
}

/** The interpreters' settings from PythonBridge.stats() / PythonPool.stats(), when the stats carry them. */
export interface BridgeInterpreters {
  /** Interpreters (1 for a bridge, `size` for a pool). */
  size?: number
  /** Synchronous calls each interpreter runs at once (the `concurrency` option). */
  concurrency?: number
}

export interface StatsInput {
  functions: BridgeFunctionStats[]
  interpreters: BridgeInterpreters
}

/** Like parseBridgeStats, with the interpreters' settings (size, concurrency) when the stats have them. */
export function parseStatsInput(text: string, source: string): StatsInput {
  const functions = parseBridgeStats(text, source)
  const data = JSON.parse(text) as unknown
  const interpreters: BridgeInterpreters = {}
  const raw = isObj(data) && isObj(data['interpreters']) ? data['interpreters'] : undefined
  if (raw) {
    for (const k of ['size', 'concurrency'] as const) {
      const v = raw[k]
      if (v === undefined) continue
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
        throw new ProfileInputError(`${source}: "interpreters.${k}" must be a whole number >= 1, got ${JSON.stringify(v)}.`)
      }
      interpreters[k] = v
    }
  }
  return { functions, interpreters }
}

/** Parses saved PythonBridge.stats() JSON; throws ProfileInputError naming the file, the entry and the fix. */
export function parseBridgeStats(text: string, source: string): BridgeFunctionStats[] {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (err) {
    throw new ProfileInputError(`${source} is not JSON (${(err as Error).message}). Save the stats with JSON.stringify(py.stats()).`)
  }
  if (isObj(data) && !looksLikeStats(data)) {
    const inner = data['functions'] ?? data['stats']
    if (inner !== undefined) data = inner
  }
  const out: BridgeFunctionStats[] = []
  if (Array.isArray(data)) {
    data.forEach((e, i) => {
      const where = `${source}: entry ${i}`
      if (!isObj(e)) throw new ProfileInputError(`${where} is not an object.`)
      const fn = pick(e, ['name', 'fn', 'function', 'key'])
      if (typeof fn !== 'string' || fn === '')
        throw new ProfileInputError(`${where} has no "function" or "name" (the Python function's name).`)
      const name = typeof e['module'] === 'string' && e['module'] !== '' ? `${e['module']}.${fn}` : fn
      out.push(one(name, e, `${where} (${name})`))
    })
  } else if (isObj(data)) {
    for (const [name, v] of Object.entries(data)) {
      if (!isObj(v)) throw new ProfileInputError(`${source}: "${name}" is not an object of figures.`)
      if (looksLikeStats(v) || !Object.values(v).every(isObj)) {
        out.push(one(name, v, `${source}: "${name}"`))
        continue
      }
      for (const [fn, inner] of Object.entries(v)) {
        if (!isObj(inner)) throw new ProfileInputError(`${source}: "${name}.${fn}" is not an object of figures.`)
        out.push(one(`${name}.${fn}`, inner, `${source}: "${name}.${fn}"`))
      }
    }
  } else {
    throw new ProfileInputError(
      `${source} holds ${data === null ? 'null' : typeof data}; expected the object PythonBridge.stats() returns.`,
    )
  }
  return out
}
