/** Options of PythonBridge and PythonPool: one type, one resolved type, one defaults object, merged once. */

export interface PythonBridgeOptions {
  /** Interpreter command or path; else PYPORT_PYTHON, else python3. */
  python?: string
  /** Where relative imports and Python's working directory resolve; default process.cwd(). */
  cwd?: string
  /** Default per-call timeout in ms; 0 or Infinity disables it. Default 300 000 (5 minutes). */
  timeoutMs?: number
  /** Extra environment variables for Python (added to the host's environment). */
  env?: Record<string, string>
  /** Copy Python's stderr to the host's stderr (its last lines are always kept for errors). Default true. */
  forwardStderr?: boolean
  /** How long close() waits after EOF before SIGTERM, and after SIGTERM before SIGKILL. Default 1000 ms. */
  killGraceMs?: number
}

export interface ResolvedBridgeOptions {
  python: string | undefined
  cwd: string
  timeoutMs: number
  env: Record<string, string>
  forwardStderr: boolean
  killGraceMs: number
}

export const defaultBridgeOptions = Object.freeze({
  timeoutMs: 300_000,
  forwardStderr: true,
  killGraceMs: 1000,
})

/** Throws TypeError naming the option, what was expected and what was received. */
export function checkTimeout(name: string, value: unknown): number {
  if (value === Infinity) return 0
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new TypeError(`Expected the \`${name}\` option to be a non-negative number of milliseconds (0 or Infinity for none), got ${String(value)} (${typeof value})`)
  }
  return value
}

export function resolveBridgeOptions(options: PythonBridgeOptions = {}): ResolvedBridgeOptions {
  const o: PythonBridgeOptions = Object.assign(Object.create(null) as PythonBridgeOptions, options)
  if (o.python !== undefined && typeof o.python !== 'string') {
    throw new TypeError(`Expected the \`python\` option to be a command or path string, got ${typeof o.python}`)
  }
  if (o.cwd !== undefined && typeof o.cwd !== 'string') throw new TypeError(`Expected the \`cwd\` option to be a directory path string, got ${typeof o.cwd}`)
  if (o.env !== undefined && (typeof o.env !== 'object' || o.env === null)) {
    throw new TypeError(`Expected the \`env\` option to be an object of strings, got ${o.env === null ? 'null' : typeof o.env}`)
  }
  for (const [k, v] of Object.entries(o.env ?? {})) {
    if (typeof v !== 'string') throw new TypeError(`Expected the \`env\` option's "${k}" to be a string, got ${typeof v}`)
  }
  return {
    python: o.python,
    cwd: o.cwd ?? process.cwd(),
    timeoutMs: checkTimeout('timeoutMs', o.timeoutMs ?? defaultBridgeOptions.timeoutMs),
    env: { ...o.env },
    forwardStderr: o.forwardStderr ?? defaultBridgeOptions.forwardStderr,
    killGraceMs: checkTimeout('killGraceMs', o.killGraceMs ?? defaultBridgeOptions.killGraceMs),
  }
}
