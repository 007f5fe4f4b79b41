/** What can go wrong when a TypeScript port runs in a WorkerPool; each error names the port and the fix. */
import { brandPyportError, PyportError } from '../errors.js'

const kPortFault = Symbol.for('pyport.port-fault')

/** Marks a port fault class that cannot extend PortFault (it extends TypeError) as one. */
function brandPortFault(cls: abstract new (...args: never[]) => Error): void {
  Object.defineProperty(cls.prototype, kPortFault, { value: true })
}

/**
 * The base of the errors that mean the port gave no usable answer: it could not load, its worker crashed, it timed
 * out, its arguments or result could not cross to or from its worker thread, or its pool was closed. Not PortError
 * (the port's own code threw: that is an answer, compared with Python's). As with PyportError, the two that extend
 * TypeError (PortInputError, PortOutputError) are `instanceof PortFault` by a brand on the prototype.
 */
export abstract class PortFault extends PyportError {
  /** True for every port fault, TypeError-based ones included; subclasses test their prototype as usual. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this !== PortFault) return Function.prototype[Symbol.hasInstance].call(this, value)
    return typeof value === 'object' && value !== null && (value as { [kPortFault]?: unknown })[kPortFault] === true
  }
}
brandPortFault(PortFault)

/** The port module cannot be used: missing file, not JavaScript, fails to import, or no callable export. */
export class PortLoadError extends PortFault {
  override name = 'PortLoadError'
  readonly code = 'PYPORT_PORT_LOAD'
  /** What is wrong with the module, without `context`. */
  readonly problem: string
  /** Who wanted the port, the message's prefix (e.g. 'port "score" (the `ports` option)'); undefined for none. */
  readonly context: string | undefined

  constructor(
    problem: string,
    readonly filename: string,
    readonly exportName: string,
    context?: string,
  ) {
    super(context === undefined ? problem : `${context}: ${problem}`)
    this.problem = problem
    this.context = context
  }

  /** The same error, as met by `context` (which goes before any context it has). */
  within(context: string): PortLoadError {
    return new PortLoadError(this.problem, this.filename, this.exportName, this.context === undefined ? context : `${context}: ${this.context}`)
  }
}

/** The port function threw (or rejected). Carries the port's own error name, message and stack. */
export class PortError extends PyportError {
  override name = 'PortError'
  readonly code = 'PYPORT_PORT_ERROR'
  constructor(
    /** The port: its file, and `#export` unless it is the default export. */
    readonly port: string,
    /** The name of what the port threw, e.g. "TypeError" (or "non-Error value" for `throw 'x'`). */
    readonly portErrorName: string,
    /** The port's own message, without pyport's prefix. */
    readonly portMessage: string,
    readonly portStack: string | undefined,
  ) {
    super(`port ${port} threw ${portErrorName}: ${portMessage}`)
  }
}

/** The worker running the port died (process.exit, out of memory); the pool replaced it. */
export class PortCrashedError extends PortFault {
  override name = 'PortCrashedError'
  readonly code = 'PYPORT_PORT_CRASHED'
  constructor(
    readonly port: string,
    /** What the worker died of, as the worker's error said it. */
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`port ${port} crashed its worker (${reason}); the pool replaced the worker`, options)
  }
}

/** The port did not finish within its timeout; its worker was terminated, so it stops burning CPU. */
export class PortTimeoutError extends PortFault {
  override name = 'PortTimeoutError'
  readonly code = 'PYPORT_PORT_TIMEOUT'
  constructor(
    /** The port (its file and export), or undefined for a port that is a plain function. */
    readonly port: string | undefined,
    readonly timeoutMs: number,
    /** True when the port ran in a WorkerPool, whose worker was terminated. */
    readonly workerTerminated: boolean,
  ) {
    super(
      workerTerminated
        ? `port ${port ?? ''} did not finish within ${timeoutMs} ms of starting on a worker (time queued for a free thread not counted); its worker was terminated`
        : `port${port === undefined ? '' : ` ${port}`} did not finish within ${timeoutMs} ms`,
    )
  }
}

/** The arguments cannot be copied to a worker thread (a function, a class with private state, …). */
export class PortInputError extends TypeError {
  override name = 'PortInputError'
  readonly code = 'PYPORT_PORT_INPUT'
  constructor(
    readonly port: string,
    /** Why the structured clone refused them (the DataCloneError's message). */
    readonly reason: string,
  ) {
    super(`arguments for port ${port} cannot be sent to a worker thread: ${reason} Pass data: plain objects, arrays, Map, Set, typed arrays, bigint.`)
  }
}
brandPyportError(PortInputError)
brandPortFault(PortInputError)

/** The port returned a value a worker thread cannot send back (a function, a symbol, a Promise, …). */
export class PortOutputError extends TypeError {
  override name = 'PortOutputError'
  readonly code = 'PYPORT_PORT_OUTPUT'
  constructor(
    readonly port: string,
    /** What cannot be sent, and where in the value. */
    readonly reason: string,
  ) {
    super(`port ${port} returned a value a worker thread cannot send back: ${reason}. Return data: plain objects, arrays, Map, Set, typed arrays, bigint.`)
  }
}
brandPyportError(PortOutputError)
brandPortFault(PortOutputError)

const CLOSED = {
  closed: 'is closed; create a new pool.',
  'before-start': 'was closed before the call started.',
  'while-running': 'was closed while the call ran.',
} as const

/** run() after close(), or a call close() ended. */
export class WorkerPoolClosedError extends PortFault {
  override name = 'WorkerPoolClosedError'
  readonly code = 'PYPORT_WORKER_POOL_CLOSED'
  constructor(
    readonly port: string,
    /** 'closed': the call came after close(); 'before-start' / 'while-running': close() ended it. */
    readonly when: keyof typeof CLOSED,
  ) {
    super(`WorkerPool for ${port} ${CLOSED[when]}`)
  }
}
