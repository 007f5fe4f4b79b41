import { spawn, type ChildProcess } from 'node:child_process'
import type { Socket } from 'node:net'
import { pythonFile } from '../paths.js'
import { pythoniaPythonDir } from './pythonia-link.js'
import { StderrTail } from './stderr-tail.js'
import { logWire, wireDebugOn } from './wire-debug.js'

/** How an interpreter ended. */
export interface ProcessExit {
  exitCode: number | null
  signal: string | null
  stderrTail: string[]
  pid: number | undefined
  /** Set when the process could not even be started. */
  spawnError?: Error
}

export interface SpawnOptions {
  /** Absolute path of the interpreter. */
  python: string
  cwd: string
  env: Record<string, string | undefined>
  /** Copy Python's stderr to the host's stderr as well as keeping its tail. */
  forwardStderr: boolean
  /** Synchronous calls Python may run at once, on threads. */
  concurrency: number
  /** The longest message accepted from Python, in characters; a longer line is an overflow, never a crash. */
  maxMessageChars: number
  /** PYPORT_PORTS: the ports the host serves and their modes (see ports.ts); undefined without ports. */
  ports?: string | undefined
}

/**
 * The longest line the host joins: Python counts code points and JS UTF-16 units (an emoji is 2), so twice the
 * shim's limit, but always under V8's longest string (2^29 - 24 units), where joining would throw and crash the host.
 */
const V8_SAFE_CHARS = 2 ** 29 - 2 ** 16

/**
 * Runs the shim with nothing of the user's on sys.path yet (no `ast.py` in the cwd can shadow the standard
 * library while pyport imports it) and with no `__main__` file, so multiprocessing's spawn and forkserver children
 * do not re-run pyport's entry point.
 */
const BOOT = 'import sys; sys.path[0] = sys.argv.pop(1); from pyport.bridge.boot import main; main()'

const FD = 3
/** The sentinel's lifeline (see python/pyport/bridge/sentinel.py): nothing is ever sent on it; it closes when the host dies. */
const LIFELINE_FD = 4
const pythoniaDir = pythoniaPythonDir()
/** POSIX: every interpreter leads a process group of its own (the shim's setpgid), and is stopped as a group. */
const GROUPS = process.platform !== 'win32'

/** Interpreters not known to have exited, for the host's own 'exit' (see killBusyOnHostExit). */
const live = new Set<PythonProcess>()
let exitHookInstalled = false

/**
 * Belt and braces for a host that exits (process.exit(), an uncaught exception) while calls still run: no
 * JavaScript runs after this, so the busy groups get SIGKILL now rather than half a second later from the sentinel
 * (python/pyport/bridge/sentinel.py). Idle interpreters are left to see EOF, run their atexit handlers and exit; the sentinel then
 * stops whatever they started. Nothing runs here when the host is killed by a signal: the sentinel covers that.
 */
function killBusyOnHostExit(): void {
  for (const p of live) p.killIfBusy()
}

/**
 * One Python process running the shim (python/pyport/bridge/boot.py), talking newline-delimited JSON on fd 3 (a
 * socketpair). It never keeps the host alive on its own: handles are referenced only while calls are pending or the
 * process is being stopped. If the host dies, the shim sees the socket close (or PR_SET_PDEATHSIG fires) and exits.
 *
 * On POSIX the interpreter makes itself the leader of a new process group as it starts (and says so: setGroup),
 * so that whatever it starts (subprocesses, multiprocessing workers, forks) is in that group. Every signal goes to
 * the whole group, and once the leader has exited the rest of the group is killed: nothing started for or by a
 * call outlives its interpreter. For the host's own death, when no JavaScript
 * runs, the shim starts a sentinel process in the group (python/pyport/bridge/sentinel.py) that waits on a "lifeline"
 * socket only the host holds the other end of, and kills the group once the host has gone.
 */
export class PythonProcess {
  readonly exited: Promise<ProcessExit>
  readonly #child: ChildProcess
  readonly #channel: Socket
  readonly #lifeline: Socket | undefined
  readonly #tail = new StderrTail(20)
  #parts: string[] = []
  #partChars = 0
  /** Set while the rest of an over-long line is being skipped. */
  #skipping = false
  readonly #maxLineChars: number
  #onOverflow: (chars: number) => void = () => {}
  #out: string[] = []
  #onLine: (line: string) => void = () => {}
  /** PYPORT_DEBUG=wire: each line written or read is printed to stderr (see wire-debug.ts). */
  readonly #wire: boolean
  #exit: ProcessExit | undefined
  /** Someone awaits the exit (stop()): the process, and the short wait for stderr's last lines, keep the host alive. */
  #awaited = false
  #stderrWait: NodeJS.Timeout | undefined
  /** Calls are pending (ref()'d), or a kill() is under way: the host's exit must not leave it running. */
  #busy = false
  #killing = false
  /** The leader has exited and been reaped: its pid may be reused, never signal it (or its group) again. */
  #reaped = false
  /** The interpreter's process group, once the shim has said it leads one (with a launcher, not the child's pid). */
  #pgid: number | undefined

  constructor(options: SpawnOptions) {
    const env: Record<string, string | undefined> = {
      ...options.env,
      PYTHONUNBUFFERED: '1',
      PYPORT_FD: String(FD),
      PYPORT_PYTHONIA: pythoniaDir,
      PYPORT_CONCURRENCY: String(options.concurrency),
      PYPORT_MAX_MESSAGE_CHARS: String(options.maxMessageChars),
    }
    // The sentinel's lifeline descriptor, and the host's pid (it checks the host is not in the group it may kill).
    // The sentinel removes the variable before any user code runs.
    // The shim removes it before any user code runs; never inherited from the host's own environment.
    if (options.ports !== undefined) env['PYPORT_PORTS'] = options.ports
    else delete env['PYPORT_PORTS']
    if (GROUPS) env['PYPORT_SENTINEL'] = `${LIFELINE_FD}:${process.pid}`
    else delete env['PYPORT_SENTINEL']
    delete env['NODE_CHANNEL_FD'] // a Node started from this Python must not think it has an IPC parent
    delete env['NODE_CHANNEL_SERIALIZATION_MODE']
    this.#wire = wireDebugOn(options.env)
    this.#maxLineChars = Math.min(2 * options.maxMessageChars + 4096, V8_SAFE_CHARS)
    this.#child = spawn(options.python, ['-u', '-c', BOOT, pythonFile()], {
      cwd: options.cwd,
      env,
      stdio: GROUPS ? ['ignore', 'inherit', 'pipe', 'pipe', 'pipe'] : ['ignore', 'inherit', 'pipe', 'pipe'],
      windowsHide: true,
      // Not detached (setsid): a new session is a new scheduler autogroup on Linux, which doubles the per-call
      // cost. The shim leads a process group of its own instead (setpgid), out of the terminal's foreground group.
      detached: false,
    })
    this.#channel = this.#child.stdio[FD] as Socket
    // Held open, never read nor written, never keeping the host alive, until the leader has exited: its end in
    // the interpreter's group reads EOF only when the host dies.
    this.#lifeline = (this.#child.stdio[LIFELINE_FD] as Socket | null | undefined) ?? undefined
    this.#lifeline?.on('error', () => undefined)
    this.#lifeline?.unref()
    this.exited = new Promise((resolve) => {
      let done = false
      const finish = (exit: ProcessExit) => {
        if (done) return
        done = true
        this.#exit = exit
        resolve(exit)
      }
      this.#child.once('error', (spawnError) => {
        finish({ exitCode: null, signal: null, stderrTail: this.#tail.lines(), pid: this.#child.pid, spawnError })
      })
      this.#child.once('exit', (exitCode, signal) => {
        // The leader is gone, crashed or not: so must be everything it started (the sentinel too).
        this.#signalGroup('SIGKILL')
        this.#reaped = true
        live.delete(this)
        this.#lifeline?.destroy()
        // stderr may still hold the last lines: give it a moment to drain, never long.
        const report = () => {
          finish({ exitCode, signal, stderrTail: this.#tail.lines(), pid: this.#child.pid })
        }
        const stderr = this.#child.stderr
        if (!stderr || stderr.readableEnded || stderr.destroyed) {
          report()
          return
        }
        const timer = setTimeout(report, 100)
        if (!this.#awaited) timer.unref()
        this.#stderrWait = timer
        stderr.once('close', () => {
          clearTimeout(timer)
          report()
        })
      })
    })
    this.#child.stderr?.on('data', (chunk: Buffer) => {
      this.#tail.push(chunk)
      if (options.forwardStderr) process.stderr.write(chunk)
    })
    this.#channel.setEncoding('utf8')
    this.#channel.on('data', (chunk: string) => {
      this.#data(chunk)
    })
    this.#channel.on('error', () => {
      void this.kill()
    }) // EPIPE etc: the process is going; 'exit' reports it
    this.unref()
    if (this.#child.pid !== undefined) {
      live.add(this)
      if (!exitHookInstalled) {
        exitHookInstalled = true
        process.on('exit', killBusyOnHostExit)
      }
    }
  }

  get pid(): number | undefined {
    return this.#child.pid
  }

  /** The shim leads this process group (its first message). */
  setGroup(pgid: number): void {
    if (Number.isSafeInteger(pgid) && pgid > 1) this.#pgid = pgid
  }

  get hasExited(): boolean {
    return this.#exit !== undefined
  }

  onLine(handler: (line: string) => void): void {
    this.#onLine = this.#wire
      ? (line) => {
          logWire('<-', this.pid, line)
          handler(line)
        }
      : handler
  }

  /** A line grew past the limit: it is dropped, never joined (that would exceed V8's string limit and crash). */
  onOverflow(handler: (chars: number) => void): void {
    this.#onOverflow = handler
  }

  /**
   * Queues one line (the caller guarantees it holds no newline). Lines queued in the same tick go out in one
   * write: 2000 calls started together cost one syscall, not 2000; a lone call waits only for a microtask.
   */
  write(line: string): void {
    this.#out.push(line)
    if (this.#out.length === 1) queueMicrotask(this.#flush)
  }

  readonly #flush = (): void => {
    const lines = this.#out
    this.#out = []
    if (this.#exit || this.#channel.destroyed || this.#channel.writableEnded) return
    if (this.#wire) for (const line of lines) logWire('->', this.pid, line)
    // eslint-disable-next-line @typescript-eslint/restrict-plus-operands -- lines[0] exists: lines.length is 1 (this skips a join for the one-line case)
    this.#channel.write(lines.length === 1 ? lines[0] + '\n' : lines.join('\n') + '\n')
  }

  /** Keep the host alive (calls are pending). */
  ref(): void {
    this.#busy = true
    this.#child.ref()
    this.#channel.ref()
  }

  unref(): void {
    this.#busy = false
    if (this.#awaited) return // being stopped: stay referenced until the exit is seen
    this.#child.unref()
    this.#channel.unref()
    ;(this.#child.stderr as Socket | null)?.unref()
  }

  /**
   * Graceful stop: close the channel (an idle shim exits on EOF and runs atexit), then SIGTERM after
   * `graceMs`, then SIGKILL after another `graceMs`. Resolves once the process is gone.
   */
  async stop(graceMs: number): Promise<ProcessExit> {
    if (this.#exit) return this.#exit
    // An awaited close() must see the exit, even if the process already exited (killed after a timeout) and only
    // the wait for stderr's last lines is left: otherwise the host's event loop may empty and exit mid-await.
    this.#awaited = true
    this.#child.ref()
    this.#stderrWait?.ref()
    this.#channel.end()
    return this.#escalate(graceMs, true)
  }

  /** Immediate stop: SIGTERM, then SIGKILL after `graceMs`. */
  kill(graceMs = 1000): Promise<ProcessExit> {
    if (this.#exit) return Promise.resolve(this.#exit)
    this.#killing = true
    this.#channel.destroy()
    return this.#escalate(graceMs, false)
  }

  /** @internal The host is exiting (process 'exit'): SIGKILL the group now if a call or a kill() is under way. */
  killIfBusy(): void {
    if (this.#busy || this.#killing) this.#signalGroup('SIGKILL')
  }

  async #escalate(graceMs: number, gentleFirst: boolean): Promise<ProcessExit> {
    const steps: NodeJS.Signals[] = gentleFirst ? ['SIGTERM', 'SIGKILL'] : ['SIGKILL']
    if (!gentleFirst) this.#signalGroup('SIGTERM')
    for (const signal of steps) {
      const exit = await Promise.race([this.exited, delay(graceMs)])
      if (exit) return exit
      this.#signalGroup(signal)
    }
    return this.exited
  }

  /**
   * Signals the interpreter's whole process group. Safe from pid reuse: until the leader has been reaped its pid
   * cannot name another group, and once it has (the 'exit' event, which calls this one last time, at once, for the
   * rest of the group) nothing is signalled any more.
   */
  #signalGroup(signal: NodeJS.Signals): void {
    const pid = this.#child.pid
    if (pid === undefined || this.#reaped) return
    const group = this.#pgid
    if (GROUPS && group !== undefined) {
      try {
        process.kill(-group, signal)
      } catch {
        // ESRCH: the group is empty already
      }
    }
    this.#child.kill(signal) // the child itself: the interpreter, or a launcher script running it (not in its group)
  }

  #data(chunk: string): void {
    let start = 0
    let nl = chunk.indexOf('\n')
    while (nl !== -1) {
      if (this.#skipping) {
        this.#skipping = false
      } else if (this.#partChars + nl - start > this.#maxLineChars) {
        const chars = this.#partChars + nl - start // one limit for every line, joined or not
        this.#parts = []
        this.#partChars = 0
        this.#onOverflow(chars)
      } else if (this.#parts.length) {
        this.#parts.push(chunk.slice(start, nl))
        const line = this.#parts.join('')
        this.#parts = []
        this.#partChars = 0
        this.#onLine(line)
      } else {
        this.#onLine(chunk.slice(start, nl))
      }
      start = nl + 1
      nl = chunk.indexOf('\n', start)
    }
    if (start >= chunk.length || this.#skipping) return
    const rest = start === 0 ? chunk : chunk.slice(start)
    this.#partChars += rest.length
    if (this.#partChars > this.#maxLineChars) {
      const chars = this.#partChars
      this.#parts = []
      this.#partChars = 0
      this.#skipping = true
      this.#onOverflow(chars)
      return
    }
    this.#parts.push(rest)
  }
}

function delay(ms: number): Promise<undefined> {
  return new Promise((resolve) => {
    const t = setTimeout(() => {
      resolve(undefined)
    }, ms)
    t.unref()
  })
}
