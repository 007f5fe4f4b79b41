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

/**
 * Why a port module cannot be used (PortLoadError's `reason`):
 * - 'bad-spec': the port spec (`file.js#export`) names no file, or has an empty export after "#";
 * - 'missing-file': the file does not exist (or is not a file);
 * - 'typescript-source': the file is TypeScript source, which worker threads cannot load;
 * - 'import-failed': importing the module threw (`detail`: the error's message);
 * - 'no-export': the module has no such export (`callableExports` lists those it has);
 * - 'not-callable': the export is not a function (`detail`: its type; `callableExports` as above).
 */
export type PortLoadReason = 'bad-spec' | 'missing-file' | 'typescript-source' | 'import-failed' | 'no-export' | 'not-callable'

/** What is wrong with a port module, from which PortLoadError builds its message. */
export interface PortLoadProblem {
  reason: PortLoadReason
  /** Absolute path of the port module ('' when a bad spec names none). */
  filename: string
  /** The export wanted; 'default' for the default export. */
  exportName: string
  /** 'bad-spec': the spec as written, e.g. 'dist/ports/rank.js#'. */
  spec?: string | undefined
  /** 'import-failed': the import's error message; 'not-callable': the export's type. */
  detail?: string | undefined
  /** 'no-export' and 'not-callable': the module's exports that are functions. */
  callableExports?: readonly string[] | undefined
}

/** The port as the other port errors name it: its file, and `#export` unless it is the default export. */
function portLabel(filename: string, exportName: string): string {
  return exportName === 'default' ? filename : `${filename}#${exportName}`
}

/** PortLoadError's message (without its context) for a problem. */
function describeLoadProblem(p: PortLoadProblem): string {
  const callable = `callable exports: ${p.callableExports && p.callableExports.length > 0 ? p.callableExports.join(', ') : 'none'}`
  const unusable = (why: string) => `port ${portLabel(p.filename, p.exportName)} is not usable: ${why}`
  switch (p.reason) {
    case 'bad-spec':
      return p.filename === ''
        ? `port "${p.spec ?? ''}" names no file. Example: dist/ports/rank.js#rankDocuments`
        : `port "${p.spec ?? ''}" has an empty export after "#". Example: ${p.filename}#rankDocuments, or ${p.filename} for its default export`
    case 'missing-file':
      return `port file ${p.filename} does not exist. Build the port (npm run build) and point at the compiled .js file.`
    case 'typescript-source':
      return `port file ${p.filename} is TypeScript source; worker threads load JavaScript. Build it (npm run build) and point at the compiled .js under your outDir.`
    case 'import-failed':
      return unusable(`importing it failed: ${p.detail ?? 'no reason given'}`)
    case 'no-export':
      return unusable(`it has no such export; ${callable}`)
    case 'not-callable':
      return unusable(`that export is a ${p.detail ?? 'value'}, not a function; ${callable}`)
  }
}

/** The port module cannot be used: a bad spec, a missing file, not JavaScript, fails to import, or no callable export. */
export class PortLoadError extends PortFault {
  override name = 'PortLoadError'
  readonly code = 'PYPORT_PORT_LOAD'
  /** Why the module cannot be used; see PortLoadReason. */
  readonly reason: PortLoadReason
  readonly filename: string
  readonly exportName: string
  /** 'bad-spec': the spec as written. */
  readonly spec: string | undefined
  /** The reason's detail: the import's error, or the export's type (see PortLoadProblem). */
  readonly detail: string | undefined
  /** 'no-export' and 'not-callable': the module's callable exports (undefined for the other reasons). */
  readonly callableExports: readonly string[] | undefined
  /** What is wrong with the module, without `context`. */
  readonly problem: string
  /** Who wanted the port, the message's prefix (e.g. 'port "score" (the `ports` option)'); undefined for none. */
  readonly context: string | undefined
  /** The message is built from the problem's fields, after `context` when given. */
  constructor(problem: PortLoadProblem, context?: string) {
    const text = describeLoadProblem(problem)
    super(context === undefined ? text : `${context}: ${text}`)
    this.reason = problem.reason
    this.filename = problem.filename
    this.exportName = problem.exportName
    this.spec = problem.spec
    this.detail = problem.detail
    this.callableExports = problem.callableExports
    this.problem = text
    this.context = context
  }

  /** The same error, as met by `context` (which goes before any context it has). */
  within(context: string): PortLoadError {
    const outer = this.context === undefined ? context : `${context}: ${this.context}`
    const { reason, filename, exportName, spec, detail, callableExports } = this
    return new PortLoadError({ reason, filename, exportName, spec, detail, callableExports }, outer)
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
    super(
      `arguments for port ${port} cannot be sent to a worker thread: ${reason} Pass data: plain objects, arrays, Map, Set, typed arrays, bigint.`,
    )
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
    super(
      `port ${port} returned a value a worker thread cannot send back: ${reason}. Return data: plain objects, arrays, Map, Set, typed arrays, bigint.`,
    )
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
