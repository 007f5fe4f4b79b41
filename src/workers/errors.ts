/** What can go wrong when a TypeScript port runs in a WorkerPool; each error names the port and the fix. */

/** The port module cannot be used: missing file, not JavaScript, fails to import, or no callable export. */
export class PortLoadError extends Error {
  override name = 'PortLoadError'
  constructor(
    message: string,
    readonly filename: string,
    readonly exportName: string,
  ) {
    super(message)
  }
}

/** The port function threw (or rejected). Carries the port's own error name, message and stack. */
export class PortError extends Error {
  override name = 'PortError'
  constructor(
    message: string,
    /** The name of what the port threw, e.g. "TypeError" (or "non-Error value" for `throw 'x'`). */
    readonly portErrorName: string,
    /** The port's own message, without pyport's prefix. */
    readonly portMessage: string,
    readonly portStack: string | undefined,
  ) {
    super(message)
  }
}

/** The worker running the port died (process.exit, out of memory); the pool replaced it. */
export class PortCrashedError extends Error {
  override name = 'PortCrashedError'
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
  }
}

/** The port did not finish within its timeout; its worker was terminated, so it stops burning CPU. */
export class PortTimeoutError extends Error {
  override name = 'PortTimeoutError'
  constructor(
    message: string,
    readonly timeoutMs: number,
  ) {
    super(message)
  }
}

/** The arguments cannot be copied to a worker thread (a function, a class with private state, …). */
export class PortInputError extends TypeError {
  override name = 'PortInputError'
}

/** The port returned a value a worker thread cannot send back (a function, a symbol, a Promise, …). */
export class PortOutputError extends TypeError {
  override name = 'PortOutputError'
}

/** run() after close(). */
export class WorkerPoolClosedError extends Error {
  override name = 'WorkerPoolClosedError'
}
