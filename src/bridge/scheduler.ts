import { existsSync } from 'node:fs'
import { PyportOptionError } from '../errors.js'
import { encodeRequest } from './wire-codec.js'
import { Connection, type Task } from './connection.js'
import { BridgeClosedError, BridgeTimeoutError } from './errors.js'
import { resolveInterpreter } from './interpreter.js'
import type { ModuleRef } from './module-spec.js'
import type { ResolvedBridgeOptions } from './options.js'
import type { CallScheduler } from './pending-call.js'
import type { PortSet } from './ports.js'
import { replyError } from './reply-errors.js'

/** Interpreters started, retired after a timeout (replaced), and lost to a crash (stats().interpreters). */
export interface Counters {
  started: number
  replaced: number
  crashed: number
}

/** A task the scheduler sends: its timeout starts once an interpreter has it. */
export interface ScheduledTask extends Task {
  startTimer(): void
}

/** What the bridge does for the scheduler's interpreters. */
export interface SchedulerHooks {
  /** Makes the handle of a Python object named in a reply from `conn`. */
  handle(conn: Connection, id: number, type: string, kind: 'obj' | 'iter'): unknown
  /** `conn` exited (after the scheduler forgot it): its objects are lost. */
  exited(conn: Connection): void
}

/**
 * The interpreters behind one PythonBridge: starts one on the first call (re-importing the modules imported so far
 * before it takes calls), sends each call to the one taking calls, and retires one whose thread runs a call the
 * host gave up on (it takes no new calls, finishes the others, then stops) while the next call starts a fresh one.
 */
export class InterpreterScheduler implements CallScheduler {
  readonly #o: ResolvedBridgeOptions
  readonly #portSet: PortSet
  readonly #counters: Counters
  readonly #hooks: SchedulerHooks
  /** Modules imported so far: a fresh interpreter imports them before it takes calls. */
  readonly #imports = new Map<string, ModuleRef>()
  readonly #retiring = new Set<Connection>()
  /** Tasks waiting for an interpreter to be ready (none was, or it was being replaced). */
  readonly #waiting = new Set<Task>()
  #ids = 0
  /** The interpreter taking calls, once it has re-imported the modules. */
  #ready: Connection | undefined
  #starting: Promise<Connection> | undefined
  #closing = false

  constructor(options: ResolvedBridgeOptions, portSet: PortSet, counters: Counters, hooks: SchedulerHooks) {
    this.#o = options
    this.#portSet = portSet
    this.#counters = counters
    this.#hooks = hooks
  }

  /** The interpreter taking calls, if one is running. */
  get current(): Connection | undefined {
    return this.#ready
  }

  /** Calls sent to the interpreter taking calls and not answered yet, and calls waiting for an interpreter. */
  get pending(): number {
    return (this.#ready?.pending ?? 0) + this.#waiting.size
  }

  /** A call id, unique per bridge (Python knows a call by it: cancel, drain). */
  nextId(): number {
    return ++this.#ids
  }

  /** A module imported: interpreters started from now on import it before they take calls. */
  imported(ref: ModuleRef): void {
    this.#imports.set(ref.key, ref)
  }

  dispatch(task: ScheduledTask): void {
    const ready = this.#ready
    if (ready && ready.state === 'ready') {
      ready.send(task)
      task.startTimer()
      return
    }
    this.#waiting.add(task)
    this.#connection().then(
      (c) => {
        this.#waiting.delete(task)
        if (task.settled) return
        if (c.state !== 'ready') {
          this.dispatch(task)
          return
        }
        c.send(task)
        task.startTimer()
      },
      (err: unknown) => {
        this.#waiting.delete(task)
        task.fail(err as Error)
      },
    )
  }

  forget(task: Task): void {
    this.#waiting.delete(task)
  }

  /** A thread still runs a call the host gave up on: take no new calls there, let the others finish, then stop it. */
  retire(conn: Connection): void {
    if (conn.state !== 'ready') return
    if (this.#ready === conn) this.#ready = undefined
    this.#retiring.add(conn)
    this.#counters.replaced++
    conn.drain()
  }

  /** Closing: fails every waiting and pending call with `err` and stops every interpreter. */
  async shutdown(err: Error): Promise<void> {
    this.#closing = true
    await this.#starting?.catch(() => undefined)
    const conns = [...(this.#ready ? [this.#ready] : []), ...this.#retiring]
    this.#ready = undefined
    for (const t of [...this.#waiting]) t.fail(err)
    for (const c of conns) for (const t of c.detachAll()) t.fail(err)
    await Promise.all(conns.map((c) => c.process.stop(this.#o.killGraceMs)))
  }

  #connection(): Promise<Connection> {
    if (!this.#starting) {
      const starting = this.#start()
      this.#starting = starting
      const clear = () => {
        if (this.#starting === starting) this.#starting = undefined
      }
      starting.then(clear, clear)
    }
    return this.#starting
  }

  async #start(): Promise<Connection> {
    // A port that cannot load (no such export, the module throws) fails the first import or call, naming its file.
    if (this.#portSet.size > 0) await this.#portSet.ready()
    const env = { ...process.env, ...this.#o.env }
    // PYPORT_PYTHON and PATH from the `env` option count; a relative `python` path resolves against `cwd`
    const interpreter = await resolveInterpreter(this.#o.python, env, this.#o.cwd)
    if (this.#closing) throw new BridgeClosedError('closed', 'the bridge was closed while its interpreter was starting')
    if (!existsSync(this.#o.cwd)) {
      throw new PyportOptionError({
        option: 'cwd',
        expected: 'an existing directory (it is where Python runs and relative imports resolve)',
        received: this.#o.cwd,
      })
    }
    const conn = new Connection(
      {
        python: interpreter.path,
        cwd: this.#o.cwd,
        env,
        forwardStderr: this.#o.forwardStderr,
        concurrency: this.#o.concurrency,
        maxMessageChars: this.#o.maxMessageChars,
        ports: this.#portSet.spec,
      },
      {
        exited: (c) => {
          this.#exited(c)
        },
        broken: (c) => {
          this.#lost(c)
        },
        drained: (c) => void c.process.kill(this.#o.killGraceMs),
        stuck: (c) => {
          this.retire(c)
        },
        handle: (c, id, type, kind) => this.#hooks.handle(c, id, type, kind),
        port:
          this.#portSet.size > 0
            ? (c: Connection, m: Parameters<PortSet['serve']>[0]) => {
                this.#portSet.serve(m, (line) => {
                  c.process.write(line)
                })
              }
            : undefined,
      },
    )
    this.#counters.started++
    const importFailure = await this.#reimport(conn)
    if (conn.state !== 'ready') {
      if (importFailure) throw importFailure
      throw new BridgeClosedError(
        'exited',
        `the fresh Python interpreter (pid ${conn.process.pid ?? '?'}) stopped while it re-imported ${[...this.#imports.values()].map((r) => r.name).join(', ')}`,
        { pid: conn.process.pid },
      )
    }
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- close() may run while the re-import above is awaited; TypeScript keeps the narrowing from the check before it
    if (this.#closing) throw new BridgeClosedError('closed', 'the bridge was closed while its interpreter was starting')
    this.#ready = conn
    return conn
  }

  /** A fresh interpreter imports what its predecessor had, each under importTimeoutMs, before any call is sent. */
  async #reimport(conn: Connection): Promise<BridgeTimeoutError | undefined> {
    let timedOut: BridgeTimeoutError | undefined
    await Promise.all(
      [...this.#imports.values()].map((ref) =>
        // a failing import fails the calls that need it, with its own error; one that times out retires the interpreter
        this.#importOn(conn, ref).catch((err: unknown) => {
          if (err instanceof BridgeTimeoutError) timedOut ??= err
        }),
      ),
    )
    return timedOut
  }

  /** One module imported on a fresh interpreter, under importTimeoutMs (one that times out retires it). */
  #importOn(conn: Connection, ref: ModuleRef): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const id = ++this.#ids
      let timer: NodeJS.Timeout | undefined
      const done = () => {
        task.settled = true
        if (timer) clearTimeout(timer)
      }
      const task: Task = {
        id,
        message: encodeRequest(['i', ref.key, id]),
        settled: false,
        conn: undefined,
        answer: (reply) => {
          done()
          if (reply.status === 0) resolve(reply.payload)
          else reject(replyError(reply, ref, '<import>'))
        },
        broken: (err) => {
          done()
          // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- passes on the connection's reason as it came
          reject(err)
        },
        fail: (err) => {
          done()
          reject(err)
        },
        requeue: () => {
          done()
          reject(new BridgeClosedError('replaced', 'the interpreter was retired while it re-imported'))
        },
      }
      conn.send(task)
      if (this.#o.importTimeoutMs > 0) {
        timer = setTimeout(() => {
          if (task.settled) return
          done()
          reject(new BridgeTimeoutError(ref.name, '<import>', this.#o.importTimeoutMs, conn.process.pid, 'still-running'))
          void conn.cancel(task).then(() => {
            this.#retireStarting(conn)
          })
        }, this.#o.importTimeoutMs)
        timer.unref()
      }
    })
  }

  /** A re-import timed out: this interpreter cannot be trusted to take calls. */
  #retireStarting(conn: Connection): void {
    this.#retiring.add(conn)
    this.#counters.replaced++
    conn.drain()
  }

  #lost(conn: Connection): void {
    if (this.#ready === conn) {
      this.#ready = undefined
      if (!this.#closing) this.#counters.crashed++
    }
  }

  #exited(conn: Connection): void {
    this.#retiring.delete(conn)
    this.#lost(conn)
    this.#hooks.exited(conn)
  }
}
