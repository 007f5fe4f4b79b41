import { BridgeClosedError } from './errors.js'
import { createPythoniaBridge, LineCom, type PythoniaBridge } from './pythonia-link.js'
import { PythonProcess, type ProcessExit, type SpawnOptions } from './python-process.js'

/** A request in flight. The connection only moves it; the bridge owns its timer, signal and stats. */
export interface Task {
  /** The message for the shim ("P"/"T" + JSON). */
  readonly message: string
  /** Set by the connection that sent it last; a resend to a fresh interpreter gets a new one. */
  seq: number
  settled: boolean
  /** Timed out or aborted while queued behind other calls; its answer is dropped. */
  cancelled?: boolean
  /**
   * Python answered: either `[flag, body, lineLength]` (the shim's fast path embeds its reply as JSON in
   * pythonia's message) or the reply as one string (when Bridge.py answered the pcall itself).
   */
  answer(reply: unknown): void
  /** pythonia reported an error outside the shim (should not happen; the shim answers everything). */
  bridgeError(err: unknown): void
  /** The interpreter went away. */
  fail(err: Error): void
}

const STACK = ['pyport', 'handle']
const NO_KWARGS = Object.freeze({}) as Record<string, unknown>

/**
 * One interpreter generation: a PythonProcess, pythonia's Bridge over it, and the tasks sent to it.
 * If the process exits, every pending task fails at once with BridgeClosedError.
 */
export class Connection {
  readonly process: PythonProcess
  readonly #bridge: PythoniaBridge
  readonly #com: LineCom
  readonly #pending = new Map<number, Task>()
  #seq = 0
  /** Set once the owner decided to replace it (after a timeout) or close it. */
  retired = false

  constructor(
    options: SpawnOptions,
    onExit: (conn: Connection, exit: ProcessExit) => void,
    /** A task cancelled while queued has reached the head of the line: Python is starting it now. */
    private readonly onCancelledHead: (conn: Connection, task: Task) => void = () => undefined,
  ) {
    this.process = new PythonProcess(options)
    this.#com = new LineCom((line) => this.process.write(line))
    this.#bridge = createPythoniaBridge(this.#com)
    this.process.onLine((line) => this.#line(line))
    void this.process.exited.then((exit) => {
      this.#bridge.end()
      const tasks = this.detachAll()
      const err = closedError(exit)
      for (const t of tasks) t.fail(err)
      onExit(this, exit)
    })
  }

  get pending(): number {
    return this.#pending.size
  }

  send(task: Task): void {
    task.seq = ++this.#seq
    this.#pending.set(task.seq, task)
    if (this.#pending.size === 1) this.process.ref()
    const seq = task.seq
    this.#bridge.call(0, STACK, [task.message], NO_KWARGS, false, Infinity).then(
      (text) => {
        if (this.#take(seq, task)) task.answer(text)
      },
      (err: unknown) => {
        if (this.#take(seq, task)) task.bridgeError(err)
      },
    )
  }

  /**
   * A task timed out or was aborted. Python answers in order, one request at a time, so only the oldest pending
   * task is running: that one is dropped and reported as 'running' (its interpreter must go). A task still
   * queued behind others is kept as a placeholder, so that `onCancelledHead` fires once it reaches the head of the
   * line (when Python starts it) and the call running now is left to finish.
   */
  /** Whether Python is running this task now (it is the oldest one pending). */
  isRunning(task: Task): boolean {
    return this.#pending.get(task.seq) === task && this.#pending.keys().next().value === task.seq
  }

  cancel(task: Task): 'running' | 'queued' | 'gone' {
    if (this.#pending.get(task.seq) !== task) return 'gone'
    if (this.isRunning(task)) {
      this.#take(task.seq, task)
      return 'running'
    }
    task.cancelled = true
    return 'queued'
  }

  /** Detaches pending tasks: those sent before `seq` and those after it. */
  detachAround(seq: number): { before: Task[]; after: Task[] } {
    const before: Task[] = []
    const after: Task[] = []
    for (const t of this.detachAll()) (t.seq < seq ? before : after).push(t)
    return { before, after }
  }

  detachAll(): Task[] {
    const tasks = [...this.#pending.values()]
    this.#pending.clear()
    this.process.unref()
    return tasks
  }

  #take(seq: number, task: Task): boolean {
    if (this.#pending.get(seq) !== task) return false
    this.#pending.delete(seq)
    if (this.#pending.size === 0) this.process.unref()
    const head = this.#pending.values().next().value
    if (head?.cancelled && !this.retired) this.onCancelledHead(this, head)
    return true
  }

  #line(line: string): void {
    if (line.charCodeAt(0) !== 123 /* { */) return
    let reply: unknown
    try {
      reply = JSON.parse(line)
    } catch {
      // Not pythonia's JSON: the channel cannot be trusted any more.
      const tasks = this.detachAll()
      const err = new BridgeClosedError('protocol', `the Python side sent a line that is not JSON (${line.slice(0, 80)}…); the interpreter was stopped`, {
        pid: this.process.pid,
      })
      for (const t of tasks) t.fail(err)
      void this.process.kill()
      return
    }
    const r = reply as Parameters<LineCom['receive']>[0]
    if (Array.isArray(r.val)) r.val[2] = line.length // bytes received, for stats
    this.#com.receive(r)
  }
}

export function closedError(exit: ProcessExit): BridgeClosedError {
  const how = exit.spawnError
    ? `could not be started (${exit.spawnError.message})`
    : exit.signal
      ? `was killed by ${exit.signal}`
      : `exited with code ${exit.exitCode}`
  return new BridgeClosedError('exited', `the Python interpreter (pid ${exit.pid ?? '?'}) ${how}; pending calls were rejected and the next call starts a fresh interpreter`, exit)
}
