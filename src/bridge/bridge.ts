import { BridgeClosedError, PythonError, PythonObjectLostError } from './errors.js'
import { setEngine, type BridgeEngine } from './engine.js'
import type { HandleState } from './handle-brand.js'
import { createHandle, type PythonObject } from './handles.js'
import type { Connection } from './connection.js'
import { mapInSlices } from './map-slices.js'
import { createModule, type PythonModule, type CallOptions } from './module.js'
import { resolveModuleSpec, type ModuleRef } from './module-spec.js'
import { checkTimeout, resolveBridgeOptions, type PythonBridgeOptions, type ResolvedBridgeOptions } from './options.js'
import { PendingCall, recordCall, type CallSite } from './pending-call.js'
import { kPortSet, PortSet, type Ports, type PortsOptions } from './ports.js'
import { InterpreterScheduler, type Counters } from './scheduler.js'
import { CallStats, type BridgeStats, type ObjectCounts, type Outcome } from './stats.js'
import { checkArgs, checkArgsList, checkOptions } from './validate.js'
import { encodeRequest } from './wire-codec.js'

/**
 * One Python interpreter behind a safe call API. Nothing starts until the first import or call. Calls run at most
 * once: a call given up on (timeout, abort) is dropped in Python if it has not started, cancelled if it is a
 * coroutine, and otherwise its interpreter is retired (it takes no new calls, finishes the others, then stops)
 * while new calls go to a fresh interpreter that first re-imports the modules. An interpreter that dies rejects
 * every pending call at once.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- {} is the default ports map: a bridge without ports (Record<never, never> would change the public type's name)
export class PythonBridge<P extends PortsOptions = {}> {
  /** The ports Python calls (the `ports` option), by name: mode, modeSource, report(), settled(). */
  readonly ports: Ports<P>
  readonly #portSet: PortSet
  /** False for the members of a PythonPool, whose ports the pool owns (one report per port across the pool). */
  readonly #ownsPorts: boolean
  readonly #o: ResolvedBridgeOptions
  readonly #stats = new CallStats()
  readonly #counters: Counters = { started: 0, replaced: 0, crashed: 0 }
  /** Starts, chooses and retires the interpreters. */
  readonly #scheduler: InterpreterScheduler
  readonly #objects: ObjectCounts = { live: 0, created: 0, released: 0, lost: 0 }
  /** The interpreter holding each handle's object. */
  readonly #handleConns = new WeakMap<HandleState, Connection>()
  /** Handles JS dropped without release(): their objects are released in Python, many per message. */
  readonly #finalizer = new FinalizationRegistry<{ conn: Connection; id: number }>(({ conn, id }) => {
    this.#collected(conn, id)
  })
  readonly #toRelease = new Map<Connection, number[]>()
  #releaseFlush: Promise<void> | undefined
  #closing: Promise<void> | undefined
  /** What modules, handles and a PythonPool call (see engine.ts); never exposed on the class. */
  readonly #engine: BridgeEngine

  constructor(options?: PythonBridgeOptions<P>) {
    this.#o = resolveBridgeOptions(options)
    const shared = (options as { [kPortSet]?: PortSet } | undefined)?.[kPortSet]
    this.#portSet = shared ?? new PortSet(options?.ports, 'PythonBridge')
    this.#ownsPorts = shared === undefined
    this.ports = this.#portSet.handles as Ports<P>
    this.#scheduler = new InterpreterScheduler(this.#o, this.#portSet, this.#counters, {
      handle: (c, id, type, kind) => this.#makeHandle(c, id, type, kind),
      exited: (c) => {
        this.#exited(c)
      },
    })
    this.#engine = {
      call: (ref, fn, args, options) => this.#call(ref, fn, args, options),
      map: (ref, fn, argsList, options, indexBase) => this.#map(ref, fn, argsList, options, indexBase),
      callObject: (h, method, args, options) => this.#callObject(h, method, args, options),
      getAttribute: (h, name, options) => this.#getAttribute(h, name, options),
      nextItems: (h) => this.#nextItems(h),
      closeIterator: (h) => this.#closeIterator(h),
      release: (h) => this.#release(h),
      stats: this.#stats,
      counters: this.#counters,
      concurrency: this.#o.concurrency,
      objects: this.#objects,
    }
    setEngine(this, this.#engine)
  }

  /** The pid of the interpreter taking calls, if one is running. */
  get pid(): number | undefined {
    return this.#scheduler.current?.process.pid
  }

  /** Calls sent and not answered yet, and calls waiting for an interpreter. */
  get pending(): number {
    return this.#scheduler.pending
  }

  /** Imports a file (relative to `cwd`, or absolute) or a module name; rejects with PythonError if it fails. */
  async import(spec: string, options?: { timeoutMs?: number }): Promise<PythonModule> {
    const ref = resolveModuleSpec(spec, this.#o.cwd, 'PythonBridge.import')
    const timeoutMs = options?.timeoutMs === undefined ? this.#o.importTimeoutMs : checkTimeout('timeoutMs', options.timeoutMs)
    await this.#request(ref, '<import>', (id) => ['i', ref.key, id], 0, { timeoutMs }, false)
    this.#scheduler.imported(ref)
    return createModule(this.#engine, ref)
  }

  // -- modules: PythonModule calls these, through the engine --------------------------------------------------------

  #call(ref: ModuleRef, fn: string, args: unknown, options: CallOptions | undefined): Promise<unknown> {
    try {
      checkArgs(fn, args)
      checkOptions(options, 'PythonModule.call')
    } catch (err) {
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- a refused call rejects with the validation error as it was thrown (PyportArgumentError or PyportOptionError)
      return Promise.reject(err)
    }
    return this.#request(ref, fn, (id) => ['c', ref.key, fn, args, options?.kwargs ?? null, id], 1, options, true)
  }

  #map(ref: ModuleRef, fn: string, argsList: unknown, options: CallOptions | undefined, indexBase = 0): Promise<unknown[]> {
    try {
      checkArgsList(fn, argsList)
      checkOptions(options, 'PythonModule.map')
    } catch (err) {
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- a refused call rejects with the validation error as it was thrown (PyportArgumentError or PyportOptionError)
      return Promise.reject(err)
    }
    const list = argsList as unknown[][]
    if (list.length === 0) return Promise.resolve([])
    const slices = Math.min(this.#o.concurrency, list.length)
    const send = (slice: unknown[][], base: number) =>
      this.#request(ref, fn, (id) => ['m', ref.key, fn, slice, options?.kwargs ?? null, base, id], slice.length, options, true) as Promise<
        unknown[]
      >
    // with threads to spare, a map runs as one slice per thread
    return slices <= 1 ? send(list, indexBase) : mapInSlices(list, slices, indexBase, send)
  }

  stats(): BridgeStats {
    const pid = this.#scheduler.current?.process.pid
    return {
      functions: CallStats.merged([this.#stats]),
      interpreters: { size: 1, concurrency: this.#o.concurrency, ...this.#counters, pids: pid === undefined ? [] : [pid] },
      objects: { ...this.#objects },
    }
  }

  /** Rejects pending calls with BridgeClosedError and stops every interpreter (EOF, SIGTERM, SIGKILL). */
  close(): Promise<void> {
    this.#closing ??= this.#shutdown()
    return this.#closing
  }

  // -- handles: PythonObject and PythonIterator call back here ----------------------------------------------------

  #callObject(h: HandleState, method: string, args: unknown, options: CallOptions | undefined): Promise<unknown> {
    try {
      checkArgs(method, args, 'PythonObject.call')
      checkOptions(options, 'PythonObject.call')
    } catch (err) {
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- a refused call rejects with the validation error as it was thrown (PyportArgumentError or PyportOptionError)
      return Promise.reject(err)
    }
    return this.#request(
      objectRef(h),
      method,
      (id) => ['o', h.id, method, args, options?.kwargs ?? null, id],
      1,
      options,
      true,
      this.#handleConns.get(h),
    )
  }

  #getAttribute(h: HandleState, name: string, options: CallOptions | undefined): Promise<unknown> {
    try {
      checkOptions(options, 'PythonObject.get')
    } catch (err) {
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- a refused call rejects with the validation error as it was thrown (PyportArgumentError or PyportOptionError)
      return Promise.reject(err)
    }
    return this.#request(objectRef(h), name, (id) => ['g', h.id, name, id], 1, options, false, this.#handleConns.get(h))
  }

  async #nextItems(h: HandleState): Promise<{ items: unknown[]; done: boolean }> {
    let batch: { items: unknown[]; done: boolean }
    try {
      batch = (await this.#request(
        objectRef(h),
        '<next>',
        (id) => ['n', h.id, this.#o.streamBatch, id],
        0,
        undefined,
        false,
        this.#handleConns.get(h),
      )) as typeof batch
    } catch (err) {
      if (err instanceof PythonError) this.#ended(h) // it raised: Python released it
      throw err
    }
    if (batch.done) this.#ended(h)
    return batch
  }

  async #closeIterator(h: HandleState): Promise<void> {
    try {
      await this.#request(objectRef(h), '<close>', (id) => ['x', h.id, id], 0, undefined, false, this.#handleConns.get(h))
    } finally {
      this.#ended(h) // Python releases it, closed or not
    }
  }

  #release(h: HandleState): Promise<void> {
    h.released = true
    const conn = this.#handleConns.get(h)
    if (!conn || !this.#finalizer.unregister(h) || !this.#drop(conn)) return Promise.resolve()
    return this.#queueRelease(conn, h.id)
  }

  /** An iterator Python released itself (it ended, raised or was closed). */
  #ended(h: HandleState): void {
    h.released = true
    const conn = this.#handleConns.get(h)
    if (conn && this.#finalizer.unregister(h)) this.#drop(conn)
  }

  /** A handle stops being live; false if its interpreter is gone (the handle was counted as lost then). */
  #drop(conn: Connection): boolean {
    if (conn.state === 'closed') return false
    conn.handleDropped()
    this.#objects.live--
    this.#objects.released++
    return true
  }

  /** A handle JS dropped without release(), garbage-collected. */
  #collected(conn: Connection, id: number): void {
    if (this.#drop(conn)) void this.#queueRelease(conn, id)
  }

  #makeHandle(conn: Connection, id: number, type: string, kind: 'obj' | 'iter'): PythonObject {
    const state: HandleState = {
      host: this.#engine,
      id,
      type,
      released: false,
      lost: () => (conn.state === 'ready' ? undefined : new PythonObjectLostError(type, conn.lostReason ?? 'exited', conn.process.pid)),
    }
    this.#handleConns.set(state, conn)
    const handle = createHandle(state, kind)
    this.#finalizer.register(handle, { conn, id }, state)
    conn.handleMade()
    this.#objects.created++
    this.#objects.live++
    return handle
  }

  /** Queues a release for Python; one message per interpreter carries every id queued in the same tick. */
  #queueRelease(conn: Connection, id: number): Promise<void> {
    let ids = this.#toRelease.get(conn)
    if (!ids) this.#toRelease.set(conn, (ids = []))
    ids.push(id)
    this.#releaseFlush ??= new Promise<void>((resolve) => {
      setImmediate(() => {
        this.#releaseFlush = undefined
        const batches = [...this.#toRelease]
        this.#toRelease.clear()
        void Promise.all(batches.map(([c, list]) => c.release(list).catch(() => undefined))).then(() => {
          resolve()
        })
      })
    })
    return this.#releaseFlush
  }

  /**
   * What the codec says of a PythonObject in a request's arguments: its id, or why it cannot be sent. The request
   * then runs on the interpreter holding it. Live handles all belong to the one interpreter taking calls, so they agree.
   */
  #handleArgument(state: HandleState): number | string {
    if (state.host !== this.#engine)
      return 'it belongs to another PythonBridge (or another interpreter of a PythonPool); pass it only to calls of the bridge that made it'
    if (state.released) return 'it was released'
    const lost = state.lost()
    if (lost) return lost.message
    return state.id
  }

  /** Sends a request; `pin` is the interpreter it must run on (the one holding an object it uses). */
  #request(
    ref: ModuleRef,
    fn: string,
    body: (id: number) => unknown[],
    items: number,
    options: CallOptions | undefined,
    record: boolean,
    pin?: Connection,
  ): Promise<unknown> {
    const site: CallSite = { ref, fn, items, record }
    /** A call rejected before anything was sent still shows in stats(). */
    const refuse = (err: unknown, outcome: Outcome): Promise<never> => {
      recordCall(this.#stats, site, outcome, 0, undefined, 0)
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- every caller passes a PyportError; the parameter is unknown only to take any of them
      return Promise.reject(err)
    }
    if (this.#closing) return refuse(new BridgeClosedError('closed', `the bridge is closed; cannot call ${ref.name}.${fn}`), 'closed')
    const signal = options?.signal
    if (signal?.aborted) return refuse(signal.reason, 'cancelled')
    const id = this.#scheduler.nextId()
    let timeoutMs: number
    let message: string
    let target = pin
    try {
      timeoutMs = options?.timeoutMs === undefined ? this.#o.timeoutMs : checkTimeout('timeoutMs', options.timeoutMs)
      message = encodeRequest(body(id), (state) => {
        const sent = this.#handleArgument(state)
        if (typeof sent === 'number') target = this.#handleConns.get(state)
        return sent
      })
    } catch (err) {
      return refuse(err, 'unsent')
    }
    if (target && target.state !== 'ready') {
      return refuse(new PythonObjectLostError(ref.name, target.lostReason ?? 'exited', target.process.pid), 'closed')
    }
    const call = new PendingCall(id, message, site, timeoutMs, signal, target, this.#scheduler, this.#stats)
    call.start()
    return call.promise
  }

  /** An interpreter exited: the handles of its objects are lost, and nothing is released there any more. */
  #exited(conn: Connection): void {
    const lost = conn.takeLostHandles() // they died with it
    this.#objects.lost += lost
    this.#objects.live -= lost
    this.#toRelease.delete(conn)
  }

  async #shutdown(): Promise<void> {
    await this.#scheduler.shutdown(new BridgeClosedError('closed', 'the bridge was closed while this call was pending'))
    if (this.#ownsPorts) await this.#portSet.close()
  }
}

/** How an object's calls are named in errors and stats(): by its type. */
function objectRef(h: HandleState): ModuleRef {
  return { key: `obj:${h.type}`, name: h.type, file: null }
}
