import { createRequire } from 'node:module'

/** The message shape pythonia's Bridge.py sends back: `{r, key, val, sig}` (or `{c: 'jsi', ...}`). */
interface PythoniaReply {
  r?: number
  c?: string
  key?: string
  val?: unknown
  sig?: unknown
}

type Handler = (reply: PythoniaReply) => boolean | void

/** pythonia's Bridge class (Bridge.js); only the parts pyport uses are typed. */
export interface PythoniaBridge {
  call(ffid: number, stack: string[], args: unknown[], kwargs: Record<string, unknown>, set: boolean, timeout: number): Promise<unknown>
  end(): void
  loop: NodeJS.Timeout
}

/**
 * The transport object pythonia's Bridge expects (what its IpcPipeCom provides: write, writeRaw, register),
 * over pyport's own pipe instead of the Node IPC channel pythonia opens at import.
 */
export class LineCom {
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
  receive(reply: PythoniaReply): void {
    if (reply.c !== undefined && this.handlers[reply.c]) {
      this.handlers[reply.c]!(reply)
      return
    }
    if (reply.r === undefined) return
    const h = this.handlers[reply.r]
    if (h) {
      if (h(reply)) return
      delete this.handlers[reply.r]
    }
  }
}

let BridgeClass: (new (com: LineCom) => PythoniaBridge) | undefined

/** A pythonia Bridge over `com`. Loads Bridge.js on first use (never pythonia's index, which spawns Python). */
export function createPythoniaBridge(com: LineCom): PythoniaBridge {
  if (!BridgeClass) {
    const require = createRequire(import.meta.url)
    BridgeClass = (require('pythonia/src/pythonia/Bridge.js') as { Bridge: typeof BridgeClass }).Bridge
  }
  const bridge = new BridgeClass!(com)
  bridge.loop.unref() // its GC-batching interval must not keep the host alive
  return bridge
}
