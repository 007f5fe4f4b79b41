/**
 * Everything pyport knows of pythonia, JS side (its Python twin is python/pyport/bridge/pythonia.py). pyport uses
 * two of pythonia's internal files, not its public API (whose import spawns Python at once):
 *
 * - `Bridge.js`, whose Bridge class pyport drives over its own socket through a transport object shaped like
 *   pythonia's IpcPipeCom (`write`, `writeRaw`, `register`). `call(0, ['pyport', 'handle'], [text], {}, false,
 *   Infinity)` sends one newline-delimited JSON request `{r, action: 'pcall', ffid: 0, key: ['pyport', 'handle'],
 *   val: [[text], {}]}`; the shim intercepts it and answers `{r, key: 'string', val: [flag, body], sig: ''}`,
 *   which Bridge.js resolves with `val` as is.
 * - `Bridge.py`, in the folder beside Bridge.js (PYPORT_PYTHONIA): the Python side's dispatcher of last resort.
 *
 * Lines from Python are routed as IpcPipeCom routes them: by `c` (a channel: pythonia's `jsi`, pyport's own
 * `pyport` and `pyport-group`), else by `r` (the request's id). test/bridge/pythonia-contract.test.ts checks all
 * of this against the installed pythonia.
 */
import { createRequire } from 'node:module'
import path from 'node:path'

/** The files of the pythonia package pyport loads, as `require` specifiers. */
export const PYTHONIA_FILES = {
  /** The JS Bridge class. */
  bridgeJs: 'pythonia/src/pythonia/Bridge.js',
  /** Its Python twin, loaded by the shim from the same folder. */
  bridgePy: 'pythonia/src/pythonia/Bridge.py',
} as const

/** The function the shim answers, as pythonia names it: `Bridge.m[0]['pyport'].handle`. */
export const SHIM_HANDLE: readonly string[] = Object.freeze(['pyport', 'handle'])

/** pyport's own channels (the `c` of a line from Python): a port call (see ports.ts), the interpreter's process group. */
export type PyportChannel = 'pyport' | 'pyport-group'

/**
 * The shim's reply to one request: its codec flag ('P' plain, 'T' holds tags), its body (the JSON already parsed:
 * `[status, payload, seconds, queuedSeconds]`) and the length of the line it came in (for stats).
 */
export interface ShimReply {
  readonly flag: string
  readonly body: unknown
  readonly chars: number
}

/** A line from Python as pythonia frames it: `{r, key, val, sig}` answers request `r`, `{c, ...}` is for channel `c`. */
interface PythoniaMessage {
  r?: number
  c?: string
  key?: string
  val?: unknown
  sig?: unknown
}

// eslint-disable-next-line @typescript-eslint/no-invalid-void-type -- pythonia's handlers: true keeps one registered, anything else (often nothing) drops it
type Handler = (message: PythoniaMessage) => boolean | void

/** pythonia's Bridge class (Bridge.js); only the parts pyport uses are typed. */
interface PythoniaBridge {
  call(
    ffid: number,
    stack: readonly string[],
    args: unknown[],
    kwargs: Record<string, unknown>,
    set: boolean,
    timeout: number,
  ): Promise<unknown>
  end(): void
  loop: NodeJS.Timeout
}

/**
 * The transport object pythonia's Bridge expects (what its IpcPipeCom provides: write, writeRaw, register),
 * over pyport's own pipe instead of the Node IPC channel pythonia opens at import.
 */
class LineCom {
  handlers: Record<string | number, Handler> = Object.create(null) as Record<string | number, Handler>

  constructor(private readonly send: (line: string) => void) {}

  register(id: string | number, cb: Handler): void {
    this.handlers[id] = cb
  }

  write(what: { r: number }, cb?: Handler): void {
    this.send(JSON.stringify(what))
    if (cb) this.register(what.r, cb)
  }

  writeRaw(what: string, r: number, cb: Handler): void {
    this.send(what)
    this.register(r, cb)
  }

  /** Same dispatch as pythonia's IpcPipeCom.recieve. */
  receive(message: PythoniaMessage): void {
    const onC = message.c === undefined ? undefined : this.handlers[message.c]
    if (onC) {
      onC.call(this.handlers, message)
      return
    }
    if (message.r === undefined) return
    const h = this.handlers[message.r]
    if (h) {
      if (h(message)) return
      // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- handlers is pythonia's plain-object registry, keyed by request id, as its IpcPipeCom keeps it
      delete this.handlers[message.r]
    }
  }
}

let BridgeClass: (new (com: LineCom) => PythoniaBridge) | undefined

function loadBridge(): new (com: LineCom) => PythoniaBridge {
  BridgeClass ??= (createRequire(import.meta.url)(PYTHONIA_FILES.bridgeJs) as { Bridge: new (com: LineCom) => PythoniaBridge }).Bridge
  return BridgeClass
}

/** The folder holding pythonia's Bridge.py, for the shim (PYPORT_PYTHONIA). */
export function pythoniaPythonDir(): string {
  return path.dirname(createRequire(import.meta.url).resolve(PYTHONIA_FILES.bridgePy))
}

const NO_KWARGS = Object.freeze({}) as Record<string, unknown>

function isShimReply(v: unknown): v is ShimReply {
  return v instanceof Reply
}

class Reply implements ShimReply {
  constructor(
    readonly flag: string,
    readonly body: unknown,
    readonly chars: number,
  ) {}
}

/**
 * One interpreter's link: pythonia's Bridge (Bridge.js; never pythonia's index, which spawns Python) over `send`,
 * fed the lines Python writes. The connection sees shim replies and pyport's own channel messages, never
 * pythonia's framing.
 */
export class PythoniaLink {
  readonly #com: LineCom
  readonly #bridge: PythoniaBridge

  constructor(send: (line: string) => void) {
    this.#com = new LineCom(send)
    this.#bridge = new (loadBridge())(this.#com)
    this.#bridge.loop.unref() // its GC-batching interval must not keep the host alive
  }

  /** Sends one request text to the shim. Rejects with what pythonia threw if Python answered outside the shim. */
  async call(text: string): Promise<ShimReply> {
    const answer = await this.#bridge.call(0, SHIM_HANDLE, [text], NO_KWARGS, false, Infinity)
    if (isShimReply(answer)) return answer
    throw new Error(
      `pyport: the Python side answered a shim call with ${(JSON.stringify(answer) as string | undefined)?.slice(0, 80) ?? String(answer)}, not a shim reply`,
    )
  }

  /** Messages on one of pyport's own channels (`{"c": name, ...}`). */
  on(channel: PyportChannel, cb: (message: Record<string, unknown>) => void): void {
    this.#com.register(channel, (m) => {
      cb(m as Record<string, unknown>)
    })
  }

  /**
   * One line from Python. Returns why it is not pythonia's message (the channel is then broken), else undefined.
   */
  receive(line: string): string | undefined {
    let message: unknown
    try {
      message = JSON.parse(line)
    } catch {
      return `a line that is not JSON (${JSON.stringify(line.slice(0, 80))}${line.length > 80 ? '…' : ''})`
    }
    const m = message as PythoniaMessage | null
    if (typeof m !== 'object' || m === null || (m.r === undefined && m.c === undefined)) {
      return `a message that is not pythonia's (${line.slice(0, 80)})`
    }
    // the shim's reply: the embedded [flag, body] becomes a ShimReply, which Bridge.js hands back as it is
    if (m.key === 'string' && Array.isArray(m.val) && typeof m.val[0] === 'string') m.val = new Reply(m.val[0], m.val[1], line.length)
    this.#com.receive(m)
    return undefined
  }

  /** Stops pythonia's timers (the interpreter is gone). */
  end(): void {
    this.#bridge.end()
  }
}

/** The channel a line from Python is for (`{"c": name, ...}`), as pythonia tags it; `pyport run` reads its port calls so. */
export function channelOf(message: unknown): string | undefined {
  const c = (message as { c?: unknown } | null)?.c
  return typeof c === 'string' ? c : undefined
}
