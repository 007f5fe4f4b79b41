import { decodeEmbedded, encodeMessage, type HandleFactory } from './wire-codec.js'
import { BridgeClosedError, type ObjectLostReason } from './errors.js'
import { PythoniaLink, type ShimReply } from './pythonia-link.js'
import type { PortMessage } from './ports.js'
import { PythonProcess, type ProcessExit, type SpawnOptions } from './python-process.js'

/** A decoded reply of the shim: status 0 value, 1 exception, 2 value that cannot cross, 3 cancelled. */
export interface Reply {
  status: 0 | 1 | 2 | 3
  payload: unknown
  /** Seconds inside the function, as the shim measured them. */
  pythonSeconds: number
  /** Seconds the call waited in Python for a free thread. */
  queuedSeconds: number
  /** Characters of the reply line (for stats). */
  bytes: number
}

/** A request in flight. The connection only moves it; the bridge owns its timer, signal and stats. */
export interface Task {
  /** The bridge's id of the call, unique per bridge; Python knows the call by it (cancel, drain). */
  readonly id: number
  /** The shim's request text ("P"/"T" + JSON). */
  readonly message: string
  /** The caller has its answer (or its error): whatever Python says later is dropped. */
  settled: boolean
  conn: Connection | undefined
  answer(reply: Reply): void
  /** pythonia reported an error outside the shim, or the reply could not be read. */
  broken(err: unknown): void
  /** The interpreter went away. */
  fail(err: Error): void
  /** Python dropped it unstarted while draining: it is free to run on another interpreter. */
  requeue(): void
}

/** What Python says of a call the host gave up on. 'unanswered': Python did not say in time (a wedged interpreter). */
export type CancelState = 'dropped' | 'cancelling' | 'running' | 'done' | 'unanswered'

/** How long a cancel waits for Python's answer before assuming the call runs on (the reader thread lacks the GIL). */
const CANCEL_ANSWER_MS = 250
/**
 * How long a cancelled coroutine may take to end. One that does not (it never reaches an `await`: it blocks the
 * event loop) makes the interpreter stuck, and it is retired.
 */
const CANCEL_GRACE_MS = 1000

export interface ConnectionEvents {
  exited(conn: Connection, exit: ProcessExit): void
  /** The channel broke (a line that is not pyport's): the connection is closed and its tasks failed. */
  broken(conn: Connection): void
  /** Draining and nothing left to wait for: the owner stops the process. */
  drained(conn: Connection): void
  /** A cancelled coroutine did not end within CANCEL_GRACE_MS: its event loop is blocked. */
  stuck(conn: Connection): void
  /** Makes the handle of a Python object named in a reply from this interpreter. */
  handle(conn: Connection, id: number, type: string, kind: 'obj' | 'iter'): unknown
  /** A port message from Python (`{"c": "pyport", ...}`, see ports.ts); only for a bridge with ports. */
  port?: ((conn: Connection, message: PortMessage) => void) | undefined
}

/**
 * One interpreter generation: a PythonProcess, pythonia's Bridge over it, and the tasks sent to it.
 * 'ready' takes calls; 'draining' takes none and ends once its last task settles; 'closed' is gone.
 */
export class Connection {
  readonly process: PythonProcess
  readonly #link: PythoniaLink
  readonly #tasks = new Map<number, Task>()
  readonly #events: ConnectionEvents
  #state: 'ready' | 'draining' | 'closed' = 'ready'
  readonly #handles: HandleFactory
  #lostReason: ObjectLostReason | undefined
  #liveHandles = 0
  /** Control messages (cancel, drain, release) awaiting Python's answer: they keep the host alive too. */
  #controls = 0
  /** Coroutines cancelled and not ended yet, by call id: each has CANCEL_GRACE_MS to end. */
  readonly #cancelling = new Map<number, NodeJS.Timeout>()
  #drainedSaid = false

  constructor(options: SpawnOptions, events: ConnectionEvents) {
    this.#events = events
    this.#handles = (id, type, kind) => events.handle(this, id, type, kind)
    this.process = new PythonProcess(options)
    this.#link = new PythoniaLink((line) => {
      this.process.write(line)
    })
    this.#link.on('pyport-group', (m) => {
      this.process.setGroup(typeof m['pgid'] === 'number' ? m['pgid'] : NaN)
    })
    const onPort = events.port
    if (onPort)
      this.#link.on('pyport', (m) => {
        onPort(this, m as unknown as PortMessage)
      })
    this.process.onLine((line) => {
      const broken = this.#link.receive(line)
      if (broken !== undefined) this.#protocolError(broken)
    })
    this.process.onOverflow((chars) => {
      this.#protocolError(
        `a line of ${chars >= 2 ** 20 ? `${(chars / 2 ** 20).toFixed(1)} Mi` : chars} characters or more, over the host's limit (about twice maxMessageChars)`,
      )
    })
    void this.process.exited.then((exit) => {
      this.#lostReason ??= 'exited'
      this.#state = 'closed'
      this.#link.end()
      const err = closedError(exit)
      for (const t of this.#detach()) t.fail(err)
      this.#events.exited(this, exit)
    })
  }

  get state(): 'ready' | 'draining' | 'closed' {
    return this.#state
  }

  /** Why its objects are gone, once it takes no more calls. */
  get lostReason(): ObjectLostReason | undefined {
    return this.#lostReason
  }

  /** Handles of this interpreter's objects that JS has not released. */
  get liveHandles(): number {
    return this.#liveHandles
  }

  /** A handle of one of its objects was made (a reply named the object). */
  handleMade(): void {
    this.#liveHandles++
  }

  /** A handle of one of its objects stopped being live (released, ended, or garbage-collected). */
  handleDropped(): void {
    this.#liveHandles--
  }

  /** Once it has exited: the handles that were still live (they died with it); none are live after. */
  takeLostHandles(): number {
    const n = this.#liveHandles
    this.#liveHandles = 0
    return n
  }

  /** Tasks sent here and not settled. */
  get pending(): number {
    return this.#tasks.size
  }

  send(task: Task): void {
    task.conn = this
    this.#tasks.set(task.id, task)
    if (this.#tasks.size === 1) this.#hold()
    this.#call(task.message).then(
      (shimReply) => {
        this.#ended(task.id)
        let reply: Reply
        try {
          reply = readReply(shimReply, this.#handles)
        } catch (err) {
          if (this.#release(task)) task.broken(err)
          return
        }
        if (reply.status === 3 && !(reply.payload as { started?: boolean }).started && !task.settled) {
          if (this.#release(task)) task.requeue() // dropped unstarted by a drain: free to run elsewhere
          return
        }
        if (this.#release(task)) task.answer(reply)
      },
      (err: unknown) => {
        if (this.#release(task)) task.broken(err)
      },
    )
  }

  /**
   * The host gave up on a task (timeout, abort): asks Python to drop it if it has not started, or to cancel it if
   * it is a coroutine. The task leaves this connection now; its late answer, if any, is dropped.
   */
  async cancel(task: Task): Promise<CancelState> {
    if (this.#tasks.get(task.id) !== task) return 'done'
    if (this.#state === 'closed') {
      this.#release(task)
      return 'done'
    }
    let timer: NodeJS.Timeout | undefined
    const late = new Promise<CancelState>((resolve) => {
      timer = setTimeout(() => {
        resolve('unanswered')
      }, CANCEL_ANSWER_MS)
    })
    // asked before the task leaves: a draining interpreter left with no task is stopped only once this is answered
    const asked = this.#control(['k', task.id]).then(
      (s) => s as CancelState,
      () => 'done' as const,
    )
    this.#release(task)
    let state: CancelState
    try {
      state = await Promise.race([asked, late])
    } finally {
      clearTimeout(timer)
    }
    if (state === 'cancelling' && this.state !== 'closed') {
      const grace = setTimeout(() => {
        this.#cancelling.delete(task.id)
        if (this.#state !== 'closed') this.#events.stuck(this)
      }, CANCEL_GRACE_MS)
      grace.unref()
      this.#cancelling.set(task.id, grace)
    }
    return state
  }

  /** Python answered a call (a cancelled coroutine's answer says it ended). */
  #ended(id: number): void {
    const grace = this.#cancelling.get(id)
    if (grace) {
      clearTimeout(grace)
      this.#cancelling.delete(id)
    }
  }

  /** Takes no more calls; Python drops (and hands back, through `requeue`) those it has not started. */
  drain(): void {
    if (this.#state !== 'ready') return
    this.#state = 'draining'
    this.#lostReason = 'replaced'
    void this.#control(['d']).catch(() => undefined)
    this.#checkDrained()
  }

  /** Detaches every task (closing): the caller fails them. */
  detachAll(): Task[] {
    this.#lostReason ??= 'closed'
    this.#state = 'closed'
    return this.#detach()
  }

  #detach(): Task[] {
    const tasks = [...this.#tasks.values()]
    this.#tasks.clear()
    this.#hold()
    return tasks
  }

  #release(task: Task): boolean {
    if (this.#tasks.get(task.id) !== task) return false
    this.#tasks.delete(task.id)
    if (this.#tasks.size === 0) {
      this.#hold()
      this.#checkDrained()
    }
    return true
  }

  /** The process keeps the host alive exactly while something awaits Python. */
  #hold(): void {
    if (this.#tasks.size + this.#controls > 0 && this.#state !== 'closed') this.process.ref()
    else this.process.unref()
  }

  #checkDrained(): void {
    if (this.#state !== 'draining' || this.#tasks.size > 0 || this.#controls > 0 || this.#drainedSaid) return
    this.#drainedSaid = true
    this.#events.drained(this)
  }

  #call(message: string): Promise<ShimReply> {
    try {
      return this.#link.call(message)
    } catch (err) {
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- passes on what the link threw, as it threw it
      return Promise.reject(err)
    }
  }

  /** Lets Python free objects whose handles JS released or garbage-collected (one message for many). */
  release(ids: number[]): Promise<unknown> {
    if (this.#state === 'closed') return Promise.resolve(undefined)
    return this.#control(['r', ids])
  }

  async #control(body: unknown[]): Promise<unknown> {
    this.#controls++
    this.#hold()
    try {
      return readReply(await this.#call(encodeMessage(body)), this.#handles).payload
    } finally {
      this.#controls--
      this.#hold()
      this.#checkDrained()
    }
  }

  /** Not pyport's message: the channel cannot be trusted any more. Stop the interpreter, fail what was sent to it. */
  #protocolError(what: string): void {
    if (this.#state === 'closed') return
    this.#state = 'closed'
    this.#lostReason = 'protocol'
    const err = new BridgeClosedError(
      'protocol',
      `the Python side sent ${what}; the interpreter was stopped and the next call starts a fresh one (does the code write to the bridge's file descriptor?)`,
      {
        pid: this.process.pid,
      },
    )
    for (const t of this.#detach()) t.fail(err)
    void this.process.kill()
    this.#events.broken(this)
  }
}

/** The shim's reply → Reply. Its body is `[status, payload, seconds, queuedSeconds]` (see python/pyport/bridge/replies.py). */
function readReply(shimReply: ShimReply, handles: HandleFactory): Reply {
  const body = decodeEmbedded(shimReply.flag, shimReply.body, handles) as [0 | 1 | 2 | 3, unknown, number?, number?]
  return { status: body[0], payload: body[1], pythonSeconds: body[2] ?? 0, queuedSeconds: body[3] ?? 0, bytes: shimReply.chars }
}

export function closedError(exit: ProcessExit): BridgeClosedError {
  const how = exit.spawnError
    ? `could not be started (${exit.spawnError.message})`
    : exit.signal
      ? `was killed by ${exit.signal}`
      : `exited with code ${exit.exitCode}`
  return new BridgeClosedError(
    'exited',
    `the Python interpreter (pid ${exit.pid ?? '?'}) ${how}; pending calls were rejected and the next call starts a fresh interpreter`,
    exit,
  )
}
