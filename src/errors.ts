/**
 * The one error family of pyport. Every error pyport throws on purpose is `instanceof PyportError` and carries a
 * stable string `code` (below): decide on the class or the code, never on the message, whose wording may improve.
 *
 * Why a brand and not only a base class: a few pyport errors must stay `instanceof TypeError`, as they always were
 * (a bad option, arguments or a result a worker thread cannot copy), and a class has one base. So PyportError is
 * the base of the others, and `x instanceof PyportError` also holds for those TypeError ones: it tests a brand on
 * the prototype (`Symbol.for`, so it holds across two copies of pyport in one program too). `instanceof` any other
 * pyport class is the ordinary prototype test.
 */

/** Every code a pyport error can carry: one per class. */
export type PyportErrorCode =
  | 'PYPORT_OPTION'
  | 'PYPORT_PYTHON_NOT_FOUND'
  | 'PYPORT_PYTHON_ERROR'
  | 'PYPORT_BRIDGE_TIMEOUT'
  | 'PYPORT_BRIDGE_CLOSED'
  | 'PYPORT_PYTHON_VALUE'
  | 'PYPORT_PYTHON_OBJECT_LOST'
  | 'PYPORT_PORT_LOAD'
  | 'PYPORT_PORT_ERROR'
  | 'PYPORT_PORT_CRASHED'
  | 'PYPORT_PORT_TIMEOUT'
  | 'PYPORT_PORT_INPUT'
  | 'PYPORT_PORT_OUTPUT'
  | 'PYPORT_WORKER_POOL_CLOSED'
  | 'PYPORT_HYBRID_CONFIG'
  | 'PYPORT_RECORD_ENCODE'
  | 'PYPORT_CORPUS'
  | 'PYPORT_PROFILE_INPUT'
  | 'PYPORT_PROFILE_RUN'
  | 'PYPORT_USAGE'
  | 'PYPORT_RUN_FAILED'

const kPyportError = Symbol.for('pyport.error')

/** Marks a pyport error class that cannot extend PyportError (it extends TypeError) as one of the family. */
export function brandPyportError(cls: abstract new (...args: never[]) => Error): void {
  Object.defineProperty(cls.prototype, kPyportError, { value: true })
}

/** The base of pyport's errors (see the file's comment for the few that extend TypeError instead). */
export abstract class PyportError extends Error {
  /** Stable: 'PYPORT_BRIDGE_TIMEOUT', 'PYPORT_OPTION', … */
  abstract readonly code: PyportErrorCode

  /** True for every pyport error, TypeError-based ones included; subclasses test their prototype as usual. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this !== PyportError) return Function.prototype[Symbol.hasInstance].call(this, value)
    return typeof value === 'object' && value !== null && (value as { [kPyportError]?: unknown })[kPyportError] === true
  }
}
brandPyportError(PyportError)

/** How an option error's message reports the value received: `"abc" (string)`, `0 (number)`, `null (null)`. */
export function describeReceived(value: unknown): string {
  let shown: string
  try {
    shown = typeof value === 'string' ? JSON.stringify(value) : typeof value === 'function' ? 'a function' : String(value)
  } catch {
    shown = Object.prototype.toString.call(value) // an object whose toString throws, or a null-prototype object
  }
  return `${shown} (${value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value})`
}

/** What is wrong with one option, from which PyportOptionError builds its message. */
export interface OptionProblem {
  /** The option's name as its owner spells it: 'timeoutMs', 'sample', 'rtol', 'path' (of an ignore rule). */
  option: string
  /** What it must be: 'a whole number >= 1', 'a number from 0 to 1 (the fraction of calls shadowed)'. */
  expected: string
  /** The value received (undefined when the option is missing). */
  received: unknown
  /**
   * Whose option it is, the message's prefix: 'WorkerPool', 'hybrid "rank"', 'PythonBridge option `ports.rank`',
   * 'compare', 'ignore rule 0 ("float noise")'. Left out for PythonBridge and PythonPool's own options, whose
   * messages read "Expected the `timeoutMs` option to be …".
   */
  owner?: string | undefined
  /**
   * 'must' (default): the option has a bad value; 'needs': it is missing ("ignore rule 0 needs a `reason` string",
   * where `expected` is what it needs); 'unknown': there is no such option (`expected` then says which there are).
   */
  form?: 'must' | 'needs' | 'unknown'
  /** A sentence added after the value received: how to fix it, or why a likely value is refused. */
  hint?: string | undefined
}

/**
 * A bad option, in any area: PythonBridge, PythonPool, WorkerPool, hybrid() and `ports`, compare and ignore rules,
 * replayCorpus, profile(). It carries the option's name (`option`) and the value received (`received`).
 *
 * It extends TypeError, not PyportError: bad options of PythonBridge, PythonPool, WorkerPool and compare were
 * TypeErrors, and code that catches TypeError keeps working; it is still `instanceof PyportError` (the brand).
 * Bad options of hybrid() and `ports` were HybridConfigError, and of profile() ProfileInputError: they are this
 * class now, so one test (`instanceof PyportOptionError`, or `code === 'PYPORT_OPTION'`) covers every area.
 */
export class PyportOptionError extends TypeError {
  override name = 'PyportOptionError'
  readonly code = 'PYPORT_OPTION'
  readonly option: string
  readonly received: unknown
  readonly expected: string
  readonly owner: string | undefined
  readonly form: 'must' | 'needs' | 'unknown'
  readonly hint: string | undefined

  constructor(problem: OptionProblem, options?: { cause?: unknown }) {
    const { option, expected, received, owner, hint } = problem
    const form = problem.form ?? 'must'
    const got = `got ${describeReceived(received)}`
    const prefix = owner === undefined ? '' : `${owner}: `
    const message =
      form === 'needs'
        ? `${owner ?? `the \`${option}\` option`} needs ${expected}`
        : form === 'unknown'
          ? `${prefix}unknown option \`${option}\`: ${expected}`
          : owner === undefined
            ? `Expected the \`${option}\` option to be ${expected}, ${got}`
            : `${prefix}\`${option}\` must be ${expected}, ${got}`
    super(hint === undefined ? message : `${message}. ${hint}`, options)
    this.option = option
    this.expected = expected
    this.received = received
    this.owner = owner
    this.form = form
    this.hint = hint
  }

  /** The same problem, as an option of `owner` (e.g. 'hybrid "rank"' around 'compare'): "hybrid "rank": compare: …". */
  within(owner: string): PyportOptionError {
    const inner = this.owner
    return new PyportOptionError(
      { option: this.option, expected: this.expected, received: this.received, owner: inner === undefined ? owner : `${owner}: ${inner}`, form: this.form, hint: this.hint },
      { cause: this.cause },
    )
  }
}
brandPyportError(PyportOptionError)
