/**
 * Options of hybrid() (and of a port's `ports` entry), as src/bridge/options.ts does them: one type, one resolved
 * type, one defaults object, checked once.
 */
import { PyportOptionError } from '../errors.js'
import { checkBoolean, checkFunction, checkInteger, checkRange, checkString } from '../option-checks.js'
import type { PortRunner } from '../workers/port-runner.js'
import { WorkerPool } from '../workers/worker-pool.js'
import type { CompareOptions } from './compare.js'
import type { IgnoreRule } from './ignore.js'
import { MODES, type Mode } from './mode.js'
import { makeJudge, type CompareFunction } from './outcome.js'
import type { RecordPublisher } from './record-types.js'

export interface HybridOptions<A extends unknown[], R> {
  /** The Python function's name: used in reports, records and PYPORT_MODE_<NAME>. */
  name: string
  /** Calls the Python original (usually through PythonBridge). */
  python: (...args: A) => Promise<R> | R
  /** The TypeScript port: a WorkerPool (called as port(...args); a hang past the timeout terminates its worker) or a function. */
  ts: ((...args: A) => Promise<R> | R) | WorkerPool
  /**
   * Overrides PYPORT_MODE_<NAME>, PYPORT_MODE and the config file.
   * @default PYPORT_MODE_<NAME>, else PYPORT_MODE, else the config file's entry, else 'python'
   */
  mode?: Mode | undefined
  /**
   * JSON config file with `{"modes": {"<name>": "shadow"}}`.
   * @default $PYPORT_CONFIG, else ./pyport.config.json when it exists
   */
  config?: string | undefined
  /**
   * Fraction of calls shadowed (shadow mode) or recorded (python mode), 0..1.
   * @default 1
   */
  sample?: number | undefined
  /**
   * Deep equality options (float tolerances), or your own equality function.
   * @default exact deep equality (rtol 0, atol 0)
   */
  compare?: CompareOptions | CompareFunction | undefined
  /**
   * Known, accepted differences.
   * @default []
   */
  ignore?: IgnoreRule[]
  /**
   * How long the port may run in shadow mode before it counts as a timeout (ms), counted from when it starts on a
   * thread.
   * @default 5000
   */
  shadowTimeoutMs?: number
  /**
   * The most shadow calls in flight at once: waiting for a free port thread, running, or being compared and
   * recorded. A sampled call that finds the backlog full is not shadowed and counts as `skipped`, so a port slower
   * than the call rate costs bounded memory, and settled() waits for at most this many calls.
   * @default 32
   */
  maxShadowBacklog?: number
  /**
   * A JSONL file to append records to, or a publisher function.
   * @default undefined (no records)
   */
  record?: string | RecordPublisher | undefined
  /**
   * Matched calls needed before the verdict says "ready to switch".
   * @default 100
   */
  readyAfter?: number
  /**
   * Random source for sampling, [0, 1) (tests).
   * @default Math.random
   */
  random?: () => number
  /**
   * Copy the arguments and Python's result (plain data only) before the call returns, so a caller mutating them
   * later cannot change what is compared or recorded. The copy is on the caller's path (a 100k-entry
   * result costs tens of ms): pass false when callers never mutate arguments or results, and the port never
   * mutates its input either (an in-thread port then receives the caller's own arguments).
   * @default true
   */
  isolate?: boolean
  /**
   * `'python'`: in `ts` mode, a port fault (it throws, its worker crashes, it times out, its value cannot cross)
   * runs the Python original instead, and the call counts in the report's `fallbacks`.
   * @default undefined (the port's error reaches the caller)
   */
  fallback?: 'python'
}

/** The options with a default: never undefined once resolved. */
type Defaulted = 'sample' | 'shadowTimeoutMs' | 'maxShadowBacklog' | 'readyAfter' | 'random' | 'isolate' | 'ignore'

/**
 * Every option, checked, defaults applied. `mode` stays as given (resolveMode() weighs it against PYPORT_MODE_<NAME>,
 * PYPORT_MODE and the config file when hybrid() is made); `fallback` is true for 'python'.
 */
export type ResolvedHybridOptions<A extends unknown[] = unknown[], R = unknown> = Pick<HybridOptions<A, R>, 'name' | 'python'> & {
  [K in Defaulted]-?: Exclude<HybridOptions<A, R>[K], undefined>
} & {
  /** A function runs on the caller's thread; a PortRunner (a WorkerPool: the only one accepted) off it. */
  ts: ((...args: A) => Promise<R> | R) | PortRunner
  mode: Mode | undefined
  config: string | undefined
  compare: NonNullable<HybridOptions<A, R>['compare']> | undefined
  record: NonNullable<HybridOptions<A, R>['record']> | undefined
  fallback: boolean
}

export const defaultHybridOptions = Object.freeze({
  sample: 1,
  shadowTimeoutMs: 5000,
  maxShadowBacklog: 32,
  readyAfter: 100,
  random: Math.random,
  isolate: true,
  fallback: false,
})

/**
 * Checks every option once, naming the option, what it expects and what it got (PyportOptionError), and applies the
 * defaults. `owner` is whose options these are in messages (default `hybrid "<name>"`; a port's: 'PythonBridge option `ports.rank`').
 */
export function resolveHybridOptions<A extends unknown[], R>(o: HybridOptions<A, R>, owner?: string): ResolvedHybridOptions<A, R> {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- validates plain-JS callers: the types rule out what this check still catches
  if (o === null || typeof o !== 'object') {
    throw new PyportOptionError({
      option: 'options',
      expected: 'an options object { name, python, ts }',
      received: o,
      owner: owner ?? 'hybrid',
    })
  }
  const { name } = o
  if (typeof name !== 'string' || name.trim() === '') {
    throw new PyportOptionError({ option: 'name', expected: "the Python function's name", received: name, owner: owner ?? 'hybrid' })
  }
  const who = owner ?? `hybrid "${name}"`
  const python = checkFunction<HybridOptions<A, R>['python']>('python', o.python, 'a function calling the Python original', who)
  if (typeof o.ts !== 'function' && !(o.ts instanceof WorkerPool)) {
    throw new PyportOptionError({ option: 'ts', expected: 'a WorkerPool or a function', received: o.ts, owner: who })
  }
  if (o.mode !== undefined && !(typeof o.mode === 'string' && (MODES as readonly string[]).includes(o.mode.trim()))) {
    throw new PyportOptionError({ option: 'mode', expected: `one of ${MODES.join(', ')}`, received: o.mode, owner: who })
  }
  if (o.config !== undefined) checkString('config', o.config, 'the path of a JSON config file', who)
  if (o.record !== undefined && typeof o.record !== 'function' && (typeof o.record !== 'string' || o.record === '')) {
    throw new PyportOptionError({ option: 'record', expected: 'a JSONL file path or a publisher function', received: o.record, owner: who })
  }
  if (o.ignore !== undefined && !Array.isArray(o.ignore)) {
    throw new PyportOptionError({
      option: 'ignore',
      expected: 'an array of ignore rules { reason, path | when }',
      received: o.ignore,
      owner: who,
    })
  }
  try {
    makeJudge({ compare: o.compare, ignore: o.ignore }) // checks compare and ignore
  } catch (err) {
    throw err instanceof PyportOptionError ? err.within(who) : err
  }
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- validates plain-JS callers: the types rule out what this check still catches
  if (o.fallback !== undefined && o.fallback !== 'python') {
    throw new PyportOptionError({
      option: 'fallback',
      expected: "'python' (run the Python original when the port fails in ts mode) or left out",
      received: o.fallback,
      owner: who,
    })
  }
  const d = defaultHybridOptions
  return {
    name,
    python,
    ts: o.ts,
    mode: o.mode === undefined ? undefined : (o.mode.trim() as Mode),
    config: o.config,
    sample: checkRange('sample', o.sample ?? d.sample, 0, 1, 'a number from 0 to 1 (the fraction of calls shadowed)', who),
    compare: o.compare,
    ignore: o.ignore ?? [],
    shadowTimeoutMs: checkRange(
      'shadowTimeoutMs',
      o.shadowTimeoutMs ?? d.shadowTimeoutMs,
      Number.MIN_VALUE,
      Number.MAX_VALUE,
      'a number of milliseconds > 0',
      who,
    ),
    maxShadowBacklog: checkInteger(
      'maxShadowBacklog',
      o.maxShadowBacklog ?? d.maxShadowBacklog,
      1,
      'a whole number >= 1 (shadow calls in flight at once)',
      who,
    ),
    record: o.record,
    readyAfter: checkInteger('readyAfter', o.readyAfter ?? d.readyAfter, 1, 'a whole number >= 1', who),
    random: checkFunction<() => number>('random', o.random ?? d.random, 'a function returning a number in [0, 1)', who),
    isolate: checkBoolean('isolate', o.isolate ?? d.isolate, who),
    fallback: o.fallback === 'python',
  }
}
