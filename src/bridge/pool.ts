import os from 'node:os'
import { PyportOptionError } from '../errors.js'
import { PythonBridge } from './bridge.js'
import { engineOf } from './engine.js'
import { createModule, type PythonModule, type CallOptions, type ModuleCaller } from './module.js'
import { kPortSet, PortSet, type Ports, type PortsOptions } from './ports.js'
import { resolveModuleSpec, type ModuleRef } from './module-spec.js'
import { resolveBridgeOptions, type PythonBridgeOptions } from './options.js'
import { CallStats, type BridgeStats } from './stats.js'
import { checkArgsList } from './validate.js'
import { mapInSlices } from './map-slices.js'
import { handleState } from './handle-brand.js'

export interface PythonPoolOptions<P extends PortsOptions = PortsOptions> extends PythonBridgeOptions<P> {
  /** Interpreters to run; default: the available cores (os.availableParallelism()). */
  size?: number
}

/**
 * `size` PythonBridges behind one API, so unported CPU-bound Python runs in parallel. A call goes to the
 * interpreter with the fewest pending calls; a map is cut into `size` contiguous slices, one per interpreter.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- {} is the default ports map: a bridge without ports (Record<never, never> would change the public type's name)
export class PythonPool<P extends PortsOptions = {}> {
  readonly size: number
  /** The ports Python calls (the `ports` option): every interpreter is served by the same WorkerPools, one report per port. */
  readonly ports: Ports<P>
  readonly #portSet: PortSet
  readonly #members: PythonBridge[]
  readonly #cwd: string
  #next = 0
  /** What its modules call; never exposed on the class. */
  readonly #engine: ModuleCaller = {
    call: (ref, fn, args, options) => this.#call(ref, fn, args, options),
    map: (ref, fn, argsList, options, indexBase) => this.#map(ref, fn, argsList, options, indexBase),
  }

  constructor(options: PythonPoolOptions<P> = {}) {
    const { size = os.availableParallelism(), ports, ...bridgeOptions } = options
    if (!Number.isSafeInteger(size) || size < 1) {
      throw new PyportOptionError({ option: 'size', expected: 'a positive integer (interpreters to run)', received: size })
    }
    this.#cwd = resolveBridgeOptions(bridgeOptions).cwd
    this.size = size
    this.#portSet = new PortSet(ports, 'PythonPool')
    this.ports = this.#portSet.handles as Ports<P>
    const memberOptions = { ...bridgeOptions, [kPortSet]: this.#portSet }
    this.#members = Array.from({ length: size }, () => new PythonBridge(memberOptions))
  }

  /** Imports the module into every interpreter (they start now, in parallel). */
  async import(spec: string, options?: { timeoutMs?: number }): Promise<PythonModule> {
    const ref = resolveModuleSpec(spec, this.#cwd, 'PythonPool.import')
    await Promise.all(this.#members.map((m) => m.import(spec, options)))
    return createModule(this.#engine, ref)
  }

  #call(ref: ModuleRef, fn: string, args: unknown, options: CallOptions | undefined): Promise<unknown> {
    return engineOf(this.#ownerOf(args, options) ?? this.#pick()).call(ref, fn, args, options)
  }

  /** A call that passes a PythonObject (as an argument or a keyword argument) goes to the interpreter holding it. */
  #ownerOf(args: unknown, options: CallOptions | undefined): PythonBridge | undefined {
    const values = [...(Array.isArray(args) ? (args as unknown[]) : []), ...Object.values(options?.kwargs ?? {})]
    for (const v of values) {
      const handle = typeof v === 'object' && v !== null ? handleState(v) : undefined
      if (handle) return this.#members.find((m) => engineOf(m) === handle.host)
    }
    return undefined
  }

  async #map(ref: ModuleRef, fn: string, argsList: unknown, options: CallOptions | undefined, indexBase = 0): Promise<unknown[]> {
    checkArgsList(fn, argsList)
    const list = argsList as unknown[][]
    const slices = Math.min(this.size, list.length)
    if (slices <= 1) return engineOf(this.#pick()).map(ref, fn, list, options, indexBase)
    return mapInSlices(list, slices, indexBase, (slice, base, n) => engineOf(this.#member(n)).map(ref, fn, slice, options, base))
  }

  stats(): BridgeStats {
    const internals = this.#members.map((m) => engineOf(m))
    const sum = (k: 'started' | 'replaced' | 'crashed') => internals.reduce((a, i) => a + i.counters[k], 0)
    return {
      functions: CallStats.merged(internals.map((i) => i.stats)),
      interpreters: {
        size: this.size,
        concurrency: internals[0]?.concurrency ?? 1,
        started: sum('started'),
        replaced: sum('replaced'),
        crashed: sum('crashed'),
        pids: this.#members.flatMap((m) => (m.pid === undefined ? [] : [m.pid])),
      },
      objects: {
        live: internals.reduce((a, i) => a + i.objects.live, 0),
        created: internals.reduce((a, i) => a + i.objects.created, 0),
        released: internals.reduce((a, i) => a + i.objects.released, 0),
        lost: internals.reduce((a, i) => a + i.objects.lost, 0),
      },
    }
  }

  /** The pids of the running interpreters. */
  get pids(): number[] {
    return this.#members.flatMap((m) => (m.pid === undefined ? [] : [m.pid]))
  }

  async close(): Promise<void> {
    await Promise.all(this.#members.map((m) => m.close()))
    await this.#portSet.close()
  }

  /** Member i, counting round the pool. */
  #member(i: number): PythonBridge {
    // eslint-disable-next-line @typescript-eslint/no-non-null-assertion -- i is taken modulo size, and a pool has at least one member
    return this.#members[i % this.size]!
  }

  /** The member with the fewest pending calls; ties go round-robin. */
  #pick(): PythonBridge {
    let best = this.#member(this.#next)
    for (let k = 1; k < this.size; k++) {
      const m = this.#member(this.#next + k)
      if (m.pending < best.pending) best = m
    }
    this.#next = (this.#next + 1) % this.size
    return best
  }
}
