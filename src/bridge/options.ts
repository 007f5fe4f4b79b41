/** Options of PythonBridge and PythonPool: one type, one resolved type, one defaults object, merged once. */
import { PyportOptionError } from '../errors.js'
import { checkCount, checkTimeout } from '../option-checks.js'
import type { PortsOptions } from './ports.js'

export interface PythonBridgeOptions<P extends PortsOptions = PortsOptions> {
  /**
   * Interpreter command or path.
   * @default $PYPORT_PYTHON, else python3
   */
  python?: string | undefined
  /**
   * Where relative imports and Python's working directory resolve.
   * @default process.cwd()
   */
  cwd?: string
  /**
   * Default per-call timeout in ms; 0 or Infinity disables it.
   * @default 300_000 (5 minutes)
   */
  timeoutMs?: number
  /**
   * Extra environment variables for Python (added to the host's environment).
   * @default {}
   */
  env?: Record<string, string>
  /**
   * Copy Python's stderr to the host's stderr (its last lines are always kept for errors).
   * @default true
   */
  forwardStderr?: boolean
  /**
   * How long close() waits after EOF before SIGTERM, and after SIGTERM before SIGKILL, in ms.
   * @default 1000
   */
  killGraceMs?: number
  /**
   * Synchronous calls one interpreter runs at once, each on its own Python thread. 1: one at a time, in order,
   * safe for code that is not thread-safe. Raise it for calls that wait on I/O (they overlap, as threads do under
   * the GIL); `async def` calls always run concurrently on the interpreter's event loop.
   * @default 1
   */
  concurrency?: number
  /**
   * Timeout of an import, including the re-imports a fresh interpreter does before it takes calls (never counted
   * against a call's timeoutMs); 0 or Infinity disables it.
   * @default 300_000 (5 minutes)
   */
  importTimeoutMs?: number
  /**
   * The longest message Python may send, in characters; a longer result is a PythonValueError naming its size.
   * 256 Mi is about half of the longest string V8 can hold.
   * @default 268_435_456 (256 Mi)
   */
  maxMessageChars?: number
  /**
   * Most items of a PythonIterator sent per message (fewer once a batch has taken 5 ms).
   * @default 256
   */
  streamBatch?: number
  /**
   * TypeScript ports of Python functions that Python calls: the function decorated with `@port` (from pyport) is
   * served by its port, in the port's mode (`python`, `ts`, `shadow`, resolved as hybrid() does), with hybrid()'s
   * options, plus `fallback: 'python'`. `bridge.ports.<name>` reports on each. See the README, "@port".
   */
  ports?: P
}

/**
 * Every option but `ports` (PortSet's), checked and defaulted; `python` stays undefined until resolveInterpreter().
 * Timeouts: 0 for none.
 */
export type ResolvedBridgeOptions = Required<Omit<PythonBridgeOptions, 'python' | 'ports'>> & {
  python: PythonBridgeOptions['python'] | undefined
}

export const defaultBridgeOptions = Object.freeze({
  timeoutMs: 300_000,
  forwardStderr: true,
  killGraceMs: 1000,
  concurrency: 1,
  importTimeoutMs: 300_000,
  maxMessageChars: 256 * 1024 * 1024,
  streamBatch: 256,
})

export { checkCount, checkTimeout }

export function resolveBridgeOptions(options: PythonBridgeOptions = {}): ResolvedBridgeOptions {
  const o: PythonBridgeOptions = Object.assign(Object.create(null) as PythonBridgeOptions, options)
  if (o.python !== undefined && typeof o.python !== 'string') {
    throw new PyportOptionError({ option: 'python', expected: 'a command or path string', received: o.python })
  }
  if (o.cwd !== undefined && typeof o.cwd !== 'string')
    throw new PyportOptionError({ option: 'cwd', expected: 'a directory path string', received: o.cwd })
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- validates plain-JS callers, whose env may be null
  if (o.env !== undefined && (typeof o.env !== 'object' || o.env === null)) {
    throw new PyportOptionError({ option: 'env', expected: 'an object of strings', received: o.env })
  }
  for (const [k, v] of Object.entries(o.env ?? {})) {
    if (typeof v !== 'string') throw new PyportOptionError({ option: `env.${k}`, expected: 'a string', received: v })
  }
  if (o.forwardStderr !== undefined && typeof o.forwardStderr !== 'boolean') {
    throw new PyportOptionError({ option: 'forwardStderr', expected: 'true or false', received: o.forwardStderr })
  }
  return {
    python: o.python,
    cwd: o.cwd ?? process.cwd(),
    timeoutMs: checkTimeout('timeoutMs', o.timeoutMs ?? defaultBridgeOptions.timeoutMs),
    env: { ...o.env },
    forwardStderr: o.forwardStderr ?? defaultBridgeOptions.forwardStderr,
    killGraceMs: checkTimeout('killGraceMs', o.killGraceMs ?? defaultBridgeOptions.killGraceMs),
    concurrency: checkCount('concurrency', o.concurrency ?? defaultBridgeOptions.concurrency, 1, 'synchronous calls run at once'),
    importTimeoutMs: checkTimeout('importTimeoutMs', o.importTimeoutMs ?? defaultBridgeOptions.importTimeoutMs),
    streamBatch: checkCount('streamBatch', o.streamBatch ?? defaultBridgeOptions.streamBatch, 1, 'items of a PythonIterator per message'),
    maxMessageChars: checkCount(
      'maxMessageChars',
      o.maxMessageChars ?? defaultBridgeOptions.maxMessageChars,
      1024,
      'the longest message Python may send',
    ),
  }
}
