/**
 * The one error family of pyport. Every error pyport throws on purpose is `instanceof PyportError` and carries a
 * stable string `code` (below): decide on the class or the code, never on the message, whose wording may improve.
 *
 * Why a brand and not only a base class: a few pyport errors must stay `instanceof TypeError`, as they always were
 * (a bad option, a bad argument to a method, arguments or a result a worker thread cannot copy), and a class has one
 * base. So PyportError is the base of the others, and `x instanceof PyportError` also holds for those TypeError ones:
 * it tests a brand on the prototype (`Symbol.for`, so it holds across two copies of pyport in one program too).
 * `instanceof` any other pyport class is the ordinary prototype test.
 */

/** Every code a pyport error can carry: one per class. */
export type PyportErrorCode =
  | 'PYPORT_OPTION'
  | 'PYPORT_BAD_ARGUMENT'
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
      {
        option: this.option,
        expected: this.expected,
        received: this.received,
        owner: inner === undefined ? owner : `${owner}: ${inner}`,
        form: this.form,
        hint: this.hint,
      },
      { cause: this.cause },
    )
  }
}
brandPyportError(PyportOptionError)

/** What is wrong with one argument of a public method, from which PyportArgumentError builds its message. */
export interface ArgumentProblem {
  /** The method whose argument it is: 'PythonModule.call', 'PythonBridge.import', 'decodeRecordValue'. */
  owner: string
  /** The parameter's name as the method's signature spells it ('args', 'fn'), with an index for an item ('argsList[2]'). */
  argument: string
  /** What it must be: 'an array of positional arguments (e.g. [1, 2])'. */
  expected: string
  /** The value received; the error keeps a short description of it, not the value. */
  value: unknown
  /** The Python function, method or attribute the call was for, when known: 'score'. */
  target?: string | undefined
  /** Where inside the argument the bad part is ('$[0].when'), when it is a part. */
  at?: string | undefined
}

/** Longest description of a received value in a message; longer ones are cut with '…'. */
const RECEIVED_MAX = 80

/**
 * A bad argument to a public method: a non-array `args` to PythonModule.call, a function name that is not a
 * non-empty string, a spec bridge.import cannot read, … It names the method (`owner`), the parameter
 * (`argument`), what it must be (`expected`) and what came (`received`, a short description).
 *
 * It extends TypeError, as PyportOptionError does (these were TypeErrors: code that catches TypeError keeps
 * working), and is `instanceof PyportError` by the same brand.
 */
export class PyportArgumentError extends TypeError {
  override name = 'PyportArgumentError'
  readonly code = 'PYPORT_BAD_ARGUMENT'
  readonly owner: string
  readonly argument: string
  readonly expected: string
  /** The value received, described: `"abc" (string)`, `3 (number)`, `null (null)`; cut to 80 characters. */
  readonly received: string
  readonly target: string | undefined
  readonly at: string | undefined

  constructor(problem: ArgumentProblem, options?: { cause?: unknown }) {
    const { owner, argument, expected, target, at } = problem
    const described = describeReceived(problem.value)
    const received = described.length > RECEIVED_MAX ? `${described.slice(0, RECEIVED_MAX - 1)}…` : described
    const call = target === undefined ? owner : `${owner}(${JSON.stringify(target)})`
    super(`${call}: \`${argument}\`${at === undefined ? '' : ` at ${at}`} must be ${expected}, got ${received}`, options)
    this.owner = owner
    this.argument = argument
    this.expected = expected
    this.received = received
    this.target = target
    this.at = at
  }
}
brandPyportError(PyportArgumentError)
