import { WorkerPool } from '../workers/worker-pool.js'
import type { CompareOptions } from './compare.js'
import { HybridConfigError } from './errors.js'
import type { IgnoreRule } from './ignore.js'
import type { Mode } from './mode.js'
import type { CompareFunction } from './outcome.js'
import type { RecordPublisher } from './record-types.js'

export interface HybridOptions<A extends unknown[], R> {
  /** The Python function's name: used in reports, records and PYPORT_MODE_<NAME>. */
  name: string
  /** Calls the Python original (usually through PythonBridge). */
  python: (...args: A) => Promise<R> | R
  /** The TypeScript port: a WorkerPool (called as port(...args); a hang past the timeout terminates its worker) or a function. */
  ts: ((...args: A) => Promise<R> | R) | WorkerPool
  /** Overrides PYPORT_MODE_<NAME>, PYPORT_MODE and the config file. */
  mode?: Mode
  /** JSON config file with `{"modes": {"<name>": "shadow"}}` (default: $PYPORT_CONFIG, else ./pyport.config.json). */
  config?: string
  /** Fraction of calls shadowed (shadow mode) or recorded (python mode), 0..1. Default 1. */
  sample?: number
  /** Deep equality options (float tolerances), or your own equality function. */
  compare?: CompareOptions | CompareFunction
  /** Known, accepted differences. */
  ignore?: IgnoreRule[]
  /**
   * How long the port may run in shadow mode before it counts as a timeout (ms), counted from when it starts on a
   * thread. Default 5000.
   */
  shadowTimeoutMs?: number
  /**
   * The most shadow calls in flight at once: waiting for a free port thread, running, or being compared and
   * recorded. A sampled call that finds the backlog full is not shadowed and counts as `skipped`, so a port slower
   * than the call rate costs bounded memory, and settled() waits for at most this many calls. Default 32.
   */
  maxShadowBacklog?: number
  /** A JSONL file to append records to, or a publisher function. */
  record?: string | RecordPublisher
  /** Matched calls needed before the verdict says "ready to switch". Default 100. */
  readyAfter?: number
  /** Random source for sampling, [0, 1) (tests). Default Math.random. */
  random?: () => number
  /**
   * Copy the arguments and Python's result (plain data only) before the call returns, so a caller mutating them
   * later cannot change what is compared or recorded. Default true. The copy is on the caller's path (a 100k-entry
   * result costs tens of ms): pass false when callers never mutate arguments or results, and the port never
   * mutates its input either (an in-thread port then receives the caller's own arguments).
   */
  isolate?: boolean
  /**
   * `'python'`: in `ts` mode, a port fault (it throws, its worker crashes, it times out, its value cannot cross)
   * runs the Python original instead, and the call counts in the report's `fallbacks`. Default: none (the port's
   * error reaches the caller).
   */
  fallback?: 'python'
}

export interface ResolvedHybridOptions {
  sample: number
  shadowTimeoutMs: number
  maxShadowBacklog: number
  readyAfter: number
  random: () => number
  isolate: boolean
  fallback: boolean
}

const defaults: ResolvedHybridOptions = { sample: 1, shadowTimeoutMs: 5000, maxShadowBacklog: 32, readyAfter: 100, random: Math.random, isolate: true, fallback: false }

function fail(name: unknown, what: string): never {
  throw new HybridConfigError(`hybrid${typeof name === 'string' ? ` "${name}"` : ''}: ${what}`)
}

const got = (v: unknown) => `got ${typeof v === 'string' ? JSON.stringify(v) : String(v)} (${v === null ? 'null' : typeof v})`

/** Validates every option once, naming the option, what it expects and what it got. */
export function resolveHybridOptions<A extends unknown[], R>(o: HybridOptions<A, R>): ResolvedHybridOptions {
  if (o === null || typeof o !== 'object') fail(undefined, `expects an options object { name, python, ts }, ${got(o)}`)
  const { name } = o
  if (typeof name !== 'string' || name.trim() === '') fail(undefined, `\`name\` must be the Python function's name, ${got(name)}`)
  if (typeof o.python !== 'function') fail(name, `\`python\` must be a function calling the Python original, ${got(o.python)}`)
  if (typeof o.ts !== 'function' && !(o.ts instanceof WorkerPool)) fail(name, `\`ts\` must be a WorkerPool or a function, ${got(o.ts)}`)
  if (o.sample !== undefined && !(typeof o.sample === 'number' && o.sample >= 0 && o.sample <= 1)) {
    fail(name, `\`sample\` must be a number from 0 to 1 (the fraction of calls shadowed), ${got(o.sample)}`)
  }
  if (o.shadowTimeoutMs !== undefined && !(typeof o.shadowTimeoutMs === 'number' && o.shadowTimeoutMs > 0 && Number.isFinite(o.shadowTimeoutMs))) {
    fail(name, `\`shadowTimeoutMs\` must be a number of milliseconds > 0, ${got(o.shadowTimeoutMs)}`)
  }
  if (o.maxShadowBacklog !== undefined && !(Number.isSafeInteger(o.maxShadowBacklog) && o.maxShadowBacklog >= 1)) {
    fail(name, `\`maxShadowBacklog\` must be a whole number >= 1 (shadow calls in flight at once), ${got(o.maxShadowBacklog)}`)
  }
  if (o.readyAfter !== undefined && !(Number.isSafeInteger(o.readyAfter) && o.readyAfter >= 1)) {
    fail(name, `\`readyAfter\` must be a whole number >= 1, ${got(o.readyAfter)}`)
  }
  if (o.record !== undefined && typeof o.record !== 'function' && (typeof o.record !== 'string' || o.record === '')) {
    fail(name, `\`record\` must be a JSONL file path or a publisher function, ${got(o.record)}`)
  }
  if (o.random !== undefined && typeof o.random !== 'function') fail(name, `\`random\` must be a function, ${got(o.random)}`)
  if (o.isolate !== undefined && typeof o.isolate !== 'boolean') fail(name, `\`isolate\` must be true or false, ${got(o.isolate)}`)
  if (o.fallback !== undefined && o.fallback !== 'python') fail(name, `\`fallback\` must be 'python' (run the Python original when the port fails in ts mode) or left out, ${got(o.fallback)}`)
  return {
    sample: o.sample ?? defaults.sample,
    shadowTimeoutMs: o.shadowTimeoutMs ?? defaults.shadowTimeoutMs,
    maxShadowBacklog: o.maxShadowBacklog ?? defaults.maxShadowBacklog,
    readyAfter: o.readyAfter ?? defaults.readyAfter,
    random: o.random ?? defaults.random,
    isolate: o.isolate ?? defaults.isolate,
    fallback: o.fallback === 'python',
  }
}
