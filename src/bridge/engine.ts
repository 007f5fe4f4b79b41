import type { HandleHost } from './handle-brand.js'
import type { ModuleCaller } from './module.js'
import type { CallStats, ObjectCounts } from './stats.js'

/**
 * A PythonBridge's engine: what its modules, its handles and a PythonPool use. It is kept off the public class (the
 * way piscina's Piscina holds a private #pool): the class exposes only its public API, and pyport's own modules reach
 * the engine through engineOf(). Nothing here is exported from the package.
 */
export interface BridgeEngine extends ModuleCaller, HandleHost {
  /** The raw counters, for PythonPool.stats() to merge. */
  readonly stats: CallStats
  readonly counters: { started: number; replaced: number; crashed: number }
  readonly concurrency: number
  readonly objects: ObjectCounts
}

/** Keyed by the PythonBridge (typed as an object: this module does not import the class that imports it). */
const engines = new WeakMap<object, BridgeEngine>()

/** Called once, by the PythonBridge constructor. */
export function setEngine(bridge: object, engine: BridgeEngine): void {
  if (engines.has(bridge)) throw new Error('pyport: a PythonBridge has one engine')
  engines.set(bridge, engine)
}

export function engineOf(bridge: object): BridgeEngine {
  const engine = engines.get(bridge)
  if (!engine) throw new TypeError('pyport: not a PythonBridge')
  return engine
}
