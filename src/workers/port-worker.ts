import { performance } from 'node:perf_hooks'
import { workerData } from 'piscina'
import type { PortReply, PortTask, PortWorkerData } from './port-protocol.js'
import { findUnsendable } from './unsendable.js'

// Runs inside each worker thread: loads the user's port module once and calls its export. Failures come back
// as data, not thrown errors, so the main thread can tell "the port threw" from "the module cannot load".

type PortFunction = (...args: unknown[]) => unknown
const { portUrl, exportName } = workerData as PortWorkerData
type LoadProblem = Extract<PortReply, { kind: 'load' }>
let loading: Promise<PortFunction | LoadProblem> | undefined

async function load(): Promise<PortFunction | LoadProblem> {
  let mod: Record<string, unknown>
  try {
    mod = (await import(portUrl)) as Record<string, unknown>
  } catch (err) {
    return { ok: false, kind: 'load', reason: 'import-failed', detail: (err as Error | null | undefined)?.message ?? String(err) }
  }
  const fn = mod[exportName]
  if (typeof fn === 'function') return fn as PortFunction
  const callableExports = Object.keys(mod).filter((k) => typeof mod[k] === 'function')
  if (fn === undefined) return { ok: false, kind: 'load', reason: 'no-export', callableExports }
  return { ok: false, kind: 'load', reason: 'not-callable', detail: typeof fn, callableExports }
}

function describeThrown(err: unknown): { name: string; message: string; stack?: string } {
  if (err instanceof Error) return { name: err.name, message: err.message, ...(err.stack ? { stack: err.stack } : {}) }
  return { name: 'non-Error value', message: `the port threw ${typeof err}: ${String(err)}` }
}

export default async function runPortTask(task: PortTask): Promise<PortReply> {
  loading ??= load()
  const fn = await loading
  if (typeof fn !== 'function') return fn
  if (task.probe) return { ok: true, value: undefined, ms: 0 }
  const t0 = performance.now()
  try {
    const value = await fn(...task.args)
    const ms = performance.now() - t0
    // Checked here: a result postMessage cannot copy would otherwise crash the worker with an opaque error.
    const unsendable = findUnsendable(value)
    if (unsendable !== undefined) return { ok: false, kind: 'unsendable', message: unsendable }
    return { ok: true, value, ms }
  } catch (err) {
    return { ok: false, kind: 'throw', ...describeThrown(err) }
  }
}
