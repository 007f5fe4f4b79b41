/**
 * Ports that Python calls: the `ports` option of PythonBridge and PythonPool. Python code decorates the hot function
 * with `@port` (python/pyport/bridge/ports.py); its calls come to the host as pyport's own messages on the bridge's socket,
 * and are served here by one hybrid() per port, in the port's mode, so a port called from Python has the same
 * modes, options, comparison, records and report as one called from the host.
 *
 * Python -> host, a JSON line `{"c": "pyport", "k": kind, "n": name, ...}` (LineCom routes the `c` field here):
 *   "c" a call in ts mode: "i" its id, "t"/"a" the arguments (the codec's flag and tree, positional)
 *   "o" a call Python ran (shadow mode, or python mode when recording): "t"/"a", "ms" Python's time, and "ok": 1 with
 *       "rt"/"r" its result, or "ok": 0 with "e" its exception
 *   "n" a call not sampled ("ms"); "x" a call not offered for comparison ("ms"): its arguments or result cannot
 *       cross; "f" a call that fell back in Python (its arguments could not cross; "counted": the port's value could
 *       not be read, and the call was counted already)
 * Host -> Python, a line `q<id>,<status>,<codec text>`: 0 the port's value, 1 an error {kind, name, message, stack,
 * where}, 2 run the Python original (fallback, counted here).
 */
import { PyportOptionError } from '../errors.js'
import { HybridConfigError } from '../hybrid/errors.js'
import { createHybrid, type HybridFunction, type HybridHooks } from '../hybrid/hybrid.js'
import type { HybridOptions } from '../hybrid/hybrid-options.js'
import type { Mode } from '../hybrid/mode.js'
import { errorInfo, type SideResult } from '../hybrid/outcome.js'
import type { HybridReport } from '../hybrid/tally.js'
import { PortCrashedError, PortError, PortInputError, PortLoadError, PortOutputError, PortTimeoutError } from '../workers/errors.js'
import { checkPortFile } from '../workers/port-file.js'
import { WorkerPool } from '../workers/worker-pool.js'
import { decodeEmbedded, encodeMessage } from './wire-codec.js'
import { PythonError, PythonValueError, type PythonErrorInfo } from './errors.js'

/** One port's options: those of hybrid() (without `name`, which is the key, and `python`, which is the decorated function). */
export interface PortOptions extends Omit<HybridOptions<unknown[], unknown>, 'name' | 'python' | 'ts' | 'random' | 'isolate'> {
  /**
   * The port, on worker threads. A plain function is refused: it would run on the host's main thread, where it could
   * call back into the Python thread that is waiting for it.
   */
  ts: WorkerPool
}

/** The `ports` option: port name (the Python function's name, or the name given to `@port("name")`) → options. */
export type PortsOptions = Record<string, PortOptions>

/** `bridge.ports.<name>`: the mode in force, and the same report as hybrid()'s. */
export interface PortHandle {
  readonly name: string
  readonly mode: Mode
  /** Where the mode came from: "option", "PYPORT_MODE_<NAME>", "PYPORT_MODE", "config FILE", "default". */
  readonly modeSource: string
  /** Counts, latencies, speed-up, fallbacks and the verdict so far. */
  report(): HybridReport
  /** Resolves when the shadow comparisons and record writes started before this call have finished. */
  settled(): Promise<void>
}

/** `bridge.ports`: a handle per port. */
export type Ports<P> = { readonly [K in keyof P]: PortHandle }

/** @internal The option key by which a PythonPool hands its members one shared PortSet. */
export const kPortSet = Symbol('pyport.ports')

const KNOWN = new Set([
  'ts',
  'mode',
  'config',
  'sample',
  'compare',
  'ignore',
  'shadowTimeoutMs',
  'maxShadowBacklog',
  'record',
  'readyAfter',
  'fallback',
])

/** What `python` returns in ts mode when the port failed and `fallback: 'python'` is set: Python runs the original. */
const FALLBACK = Symbol('pyport.fallback')

interface Port {
  name: string
  ts: WorkerPool
  fn: HybridFunction<unknown[], unknown>
  hooks: HybridHooks
  fallback: boolean
  sample: number
  recording: boolean
}

/** What Python sent for the call being handed to hybrid(); read synchronously when the call starts. */
let current: { sampled: boolean; side: SideResult; thrown?: unknown } | undefined

/** The message Python sends (see the file's comment). */
export interface PortMessage {
  c: 'pyport'
  k: 'c' | 'o' | 'n' | 'x' | 'f'
  n: string
  i?: number
  t?: string
  a?: unknown
  ms?: number
  ok?: 0 | 1
  rt?: string
  r?: unknown
  e?: PythonErrorInfo & { module?: string }
  counted?: 1
}

/** The ports of one PythonBridge, or shared by the interpreters of a PythonPool (one report per port). */
export class PortSet {
  readonly handles: Readonly<Record<string, PortHandle>>
  /** PYPORT_PORTS for each interpreter: the ports and what Python does with them; undefined without ports. */
  readonly spec: string | undefined
  readonly #ports = new Map<string, Port>()
  #ready: Promise<void> | undefined

  /** Validates every port, resolves its mode and checks its file now: a bad option throws here, at construction. */
  constructor(raw: unknown, who: 'PythonBridge' | 'PythonPool' | 'pyport run') {
    const handles: Record<string, PortHandle> = {}
    if (raw !== undefined) {
      if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
        throw new PyportOptionError({
          option: 'ports',
          expected: 'an object { name: { ts: WorkerPool, mode, ... } }',
          received: raw,
          owner: who,
        })
      }
      for (const [name, options] of Object.entries(raw)) {
        const port = makePort(who, name, options)
        this.#ports.set(name, port)
        handles[name] = Object.freeze({
          name,
          mode: port.fn.mode,
          modeSource: port.fn.modeSource,
          report: () => port.fn.report(),
          settled: () => port.fn.settled(),
        })
      }
    }
    this.handles = Object.freeze(handles)
    const spec: Record<string, { m: Mode; f: 0 | 1; s: number; r: 0 | 1 }> = {}
    for (const p of this.#ports.values()) spec[p.name] = { m: p.fn.mode, f: p.fallback ? 1 : 0, s: p.sample, r: p.recording ? 1 : 0 }
    this.spec = this.#ports.size === 0 ? undefined : JSON.stringify(spec)
  }

  get size(): number {
    return this.#ports.size
  }

  /**
   * Loads every port that runs (ts and shadow modes) in its WorkerPool and checks its export is callable: before the
   * first interpreter starts, so a port that cannot load fails the first import or call with PortLoadError, naming
   * the file. Checked once (again after a failure).
   */
  ready(): Promise<void> {
    if (!this.#ready) {
      const ready = Promise.all(
        [...this.#ports.values()]
          .filter((p) => p.fn.mode !== 'python')
          .map((p) =>
            p.ts.ready().catch((err: unknown) => {
              if (err instanceof PortLoadError) throw err.within(`port "${p.name}" (the \`ports\` option)`)
              throw err
            }),
          ),
      ).then(() => undefined)
      this.#ready = ready
      ready.catch(() => {
        if (this.#ready === ready) this.#ready = undefined
      })
    }
    return this.#ready
  }

  /** A message from Python; `write` sends a line back to that interpreter. Never throws. */
  serve(m: PortMessage, write: (line: string) => void): void {
    const port = this.#ports.get(m.n)
    if (m.k === 'c') {
      if (!port || port.fn.mode !== 'ts') {
        write(
          `q${m.i},1,${encodeMessage({ kind: 'error', name: 'PortConfigError', message: `the host serves no port named ${JSON.stringify(m.n)} in ts mode` })}`,
        )
        return
      }
      this.#call(port, m, write)
      return
    }
    if (!port) return
    try {
      if (m.k === 'o') this.#observed(port, m)
      else if (m.k === 'n') this.#run(port, { sampled: false, side: { ok: true, value: undefined, ms: m.ms ?? 0 } }, [])
      else if (m.k === 'x') port.hooks.skipped(1, m.ms)
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- m comes off the wire from Python: a kind this host does not know is ignored, not taken for 'f'
      else if (m.k === 'f') port.hooks.fellBack(m.counted === 1)
    } catch {
      port.hooks.skipped(1, m.ms) // a message we cannot read: the call is counted, not compared
    }
  }

  /** Stops shadowing and recording (each hybrid's close()): waits for the shadow calls running, closes record files. */
  async close(): Promise<void> {
    await Promise.all([...this.#ports.values()].map((p) => p.fn.close()))
  }

  #call(port: Port, m: PortMessage, write: (line: string) => void): void {
    const answer = (status: 0 | 1 | 2, text: string) => {
      write(`q${m.i},${status},${text}`)
    }
    let args: unknown[]
    try {
      args = decodeEmbedded(m.t ?? 'P', m.a) as unknown[]
    } catch (err) {
      // Python's codec refuses first what JS would merge (two NaN keys): only a codec mismatch lands here
      if (port.fallback) {
        port.hooks.fellBack(false)
        answer(2, 'P0')
        return
      }
      const message = `the host cannot read the arguments: ${(err as Error | null | undefined)?.message ?? String(err)}`
      answer(
        1,
        encodeMessage({ kind: 'value', name: (err as Error | null | undefined)?.name ?? 'Error', message, stack: null, where: null }),
      )
      return
    }
    let pending: Promise<unknown>
    try {
      pending = port.fn(...args)
    } catch (err) {
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- passes on what the port threw, as it threw it
      pending = Promise.reject(err)
    }
    pending.then(
      (value) => {
        if (value === FALLBACK) {
          answer(2, 'P0')
          return
        }
        let text: string
        try {
          text = encodeMessage(value)
        } catch (err) {
          // the port's value cannot cross to Python: a port fault like any other
          if (!port.fallback) {
            answer(1, errorText(err))
            return
          }
          port.hooks.fellBack(true)
          answer(2, 'P0')
          return
        }
        answer(0, text)
      },
      (err: unknown) => {
        answer(1, errorText(err))
      },
    )
  }

  #observed(port: Port, m: PortMessage): void {
    const args = decodeEmbedded(m.t ?? 'P', m.a) as unknown[]
    const ms = m.ms ?? 0
    if (m.ok === 1) {
      this.#run(port, { sampled: true, side: { ok: true, value: decodeEmbedded(m.rt ?? 'P', m.r), ms } }, args)
      return
    }
    const info = m.e ?? { pythonType: 'Exception', message: '', traceback: '', frames: [] }
    const thrown = new PythonError(info, info.module ?? '?', port.name)
    this.#run(port, { sampled: true, side: { ok: false, error: errorInfo(thrown), ms }, thrown }, args)
  }

  /** Hands a call Python ran to its hybrid: counted, and in shadow mode compared with the port, and recorded. */
  #run(port: Port, call: NonNullable<typeof current>, args: unknown[]): void {
    current = call
    let pending: Promise<unknown>
    try {
      pending = port.fn(...args)
    } finally {
      current = undefined
    }
    pending.catch(() => undefined) // Python's own exception, which Python has raised already
  }
}

function makePort(who: string, name: string, raw: unknown): Port {
  const at = `${who} option \`ports.${name}\``
  if (name === '')
    throw new PyportOptionError({
      option: 'ports',
      expected: "keyed by the Python functions' names",
      received: name,
      owner: who,
      hint: 'A port has an empty name',
    })
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new PyportOptionError({ option: `ports.${name}`, expected: 'an object { ts: WorkerPool, mode, ... }', received: raw, owner: who })
  }
  const o = raw as Record<string, unknown>
  for (const key of Object.keys(o)) {
    if (!KNOWN.has(key)) {
      const why = key === 'python' ? 'the Python side is the decorated function itself; ' : key === 'name' ? 'the name is the key; ' : ''
      throw new PyportOptionError({
        option: key,
        form: 'unknown',
        expected: `${why}a port takes ${[...KNOWN].join(', ')}`,
        received: o[key],
        owner: at,
      })
    }
  }
  if (!(o['ts'] instanceof WorkerPool)) {
    const hint =
      typeof o['ts'] === 'function'
        ? "A plain function is refused: it would run on the host's main thread, where it could call back into the Python thread that waits for it."
        : undefined
    throw new PyportOptionError({
      option: 'ts',
      expected: 'a WorkerPool running the port on worker threads',
      received: o['ts'],
      owner: at,
      hint,
    })
  }
  const ts = o['ts']
  let made: ReturnType<typeof createHybrid<unknown[], unknown>>
  try {
    made = createHybrid<unknown[], unknown>(
      { ...(o as Partial<HybridOptions<unknown[], unknown>>), name, ts, python: () => FALLBACK, isolate: false },
      {
        pythonSide: () => {
          // eslint-disable-next-line @typescript-eslint/no-non-null-assertion -- pythonSide runs only inside a call, while current is set
          const c = current!
          return c.side.ok ? { side: c.side } : { side: c.side, thrown: c.thrown }
        },
        sampled: () => current?.sampled ?? false,
        owner: at,
      },
    )
  } catch (err) {
    if (err instanceof HybridConfigError) throw new HybridConfigError(`${at}: ${err.message.replace(/^hybrid "[^"]*": /, '')}`)
    throw err
  }
  const mode = made.fn.mode
  if (mode !== 'python') {
    try {
      checkPortFile(ts.location)
    } catch (err) {
      if (err instanceof PortLoadError) throw err.within(at)
      throw err
    }
  }
  return {
    name,
    ts,
    fn: made.fn,
    hooks: made.hooks,
    fallback: o['fallback'] === 'python',
    sample: typeof o['sample'] === 'number' ? o['sample'] : 1,
    recording: o['record'] !== undefined,
  }
}

/** The error Python raises, as data: which PortError subclass (`kind`), and the TypeScript error's name, message, stack. */
function errorText(err: unknown): string {
  let kind = 'error'
  let name: string
  let message: string
  let stack: string | undefined
  let where: string | undefined
  if (err instanceof PortError) {
    name = err.portErrorName
    message = err.portMessage
    stack = err.portStack
  } else if (err instanceof Error) {
    name = err.name
    message = err.message
    stack = err.stack
    if (err instanceof PortTimeoutError) kind = 'timeout'
    else if (err instanceof PortCrashedError) kind = 'crashed'
    else if (err instanceof PortOutputError || err instanceof PortInputError) kind = 'value'
    else if (err instanceof PythonValueError) {
      // the port's result, refused by the bridge's codec on its way to Python
      kind = 'value'
      where = err.where.replace(/^value/, 'result')
      const a = /^[aeiou]/i.test(err.valueType) ? 'an' : 'a'
      message = `the port returned ${a} ${err.valueType} at ${where}, which cannot cross to Python exactly; ${err.hint.replace(/^pass /, 'return ')}`
    }
  } else {
    name = typeof err
    message = String(err)
  }
  try {
    return encodeMessage({ kind, name, message, stack: stack ?? null, where: where ?? null })
  } catch {
    return encodeMessage({
      kind,
      name: 'Error',
      message: 'the port failed with an error that cannot be described',
      stack: null,
      where: null,
    })
  }
}
