/** Options of WorkerPool, as src/bridge/options.ts does them: one type, one resolved type, one defaults object, checked once. */
import os from 'node:os'
import type { ResourceLimits } from 'node:worker_threads'
import { PyportOptionError } from '../errors.js'
import { checkOptionsObject, checkTimeout } from '../option-checks.js'

export interface WorkerPoolOptions {
  /** The compiled port module (.js/.mjs), as a path or file URL. */
  filename: string | URL
  /**
   * Which export to call.
   * @default 'default' (the default export)
   */
  exportName?: string
  /**
   * Worker threads.
   * @default os.availableParallelism()
   */
  threads?: number | undefined
  /**
   * Per-call timeout in ms, counted from when the call starts on a free worker (not while it waits for one); a
   * port that outlives it has its worker terminated. 0 or Infinity: no timeout, as on PythonBridge.
   * @default 0 (no timeout)
   */
  timeoutMs?: number
  /**
   * Per-worker V8 limits, e.g. { maxOldGenerationSizeMb: 256 }: a port over it crashes only its worker.
   * @default undefined (Node's limits)
   */
  resourceLimits?: ResourceLimits
  /**
   * Lower the workers' CPU priority (Linux nice, 0..19). A shadow pool at 19 takes only CPU that Python and the
   * host leave idle, so shadowing costs the caller less on a busy machine.
   * @default 0
   */
  niceIncrement?: number
}

export interface PortRunOptions {
  /** Overrides the pool's timeoutMs for this call; 0 or Infinity: no timeout for this call. */
  timeoutMs?: number | undefined
  signal?: AbortSignal
}

/** The options once checked and defaulted: `filename` a path, `timeoutMs` 0 for none, `resourceLimits` still optional. */
export type ResolvedWorkerPoolOptions = {
  [K in Exclude<keyof WorkerPoolOptions, 'filename' | 'resourceLimits'>]-?: Exclude<WorkerPoolOptions[K], undefined>
} & {
  filename: string | URL
  resourceLimits: NonNullable<WorkerPoolOptions['resourceLimits']> | undefined
}

export const defaultWorkerPoolOptions = Object.freeze({
  exportName: 'default',
  /** A function: the machine's parallelism is read when a pool is made. */
  threads: () => Math.max(1, os.availableParallelism()),
  timeoutMs: 0,
  niceIncrement: 0,
})

const OWNER = 'WorkerPool'

export function resolveWorkerPoolOptions(options: WorkerPoolOptions): ResolvedWorkerPoolOptions {
  const o = checkOptionsObject(options, 'an options object { filename }', OWNER)
  if (!(o.filename instanceof URL) && (typeof o.filename !== 'string' || o.filename === '')) {
    throw new PyportOptionError({
      option: 'filename',
      expected: 'a path or file URL of the compiled port module',
      received: o.filename,
      owner: OWNER,
    })
  }
  if (o.exportName !== undefined && (typeof o.exportName !== 'string' || o.exportName === '')) {
    throw new PyportOptionError({
      option: 'exportName',
      expected: 'the name of an export of the port module',
      received: o.exportName,
      owner: OWNER,
    })
  }
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- validates plain-JS callers: the types rule out what this check still catches
  if (o.resourceLimits !== undefined && (o.resourceLimits === null || typeof o.resourceLimits !== 'object')) {
    throw new PyportOptionError({
      option: 'resourceLimits',
      expected: 'an object of V8 limits, e.g. { maxOldGenerationSizeMb: 256 }',
      received: o.resourceLimits,
      owner: OWNER,
    })
  }
  const nice = o.niceIncrement ?? defaultWorkerPoolOptions.niceIncrement
  if (!(Number.isInteger(nice) && nice >= 0 && nice <= 19)) {
    throw new PyportOptionError({ option: 'niceIncrement', expected: 'a whole number from 0 to 19', received: nice, owner: OWNER })
  }
  return {
    filename: o.filename,
    exportName: o.exportName ?? defaultWorkerPoolOptions.exportName,
    threads: o.threads === undefined ? defaultWorkerPoolOptions.threads() : checkThreads(o.threads),
    timeoutMs: checkTimeout('timeoutMs', o.timeoutMs ?? defaultWorkerPoolOptions.timeoutMs, OWNER),
    resourceLimits: o.resourceLimits,
    niceIncrement: nice,
  }
}

function checkThreads(threads: unknown): number {
  if (!(typeof threads === 'number' && Number.isSafeInteger(threads) && threads >= 1)) {
    throw new PyportOptionError({ option: 'threads', expected: 'a whole number >= 1', received: threads, owner: OWNER })
  }
  return threads
}

/** A per-call timeout: undefined keeps the pool's; 0 or Infinity: none (resolved to 0). */
export function resolveCallTimeout(timeoutMs: unknown, poolTimeoutMs: number): number {
  return timeoutMs === undefined ? poolTimeoutMs : checkTimeout('timeoutMs', timeoutMs, OWNER)
}
