/** Typed errors of `pyport profile` and its API. */

/** Bad input from the caller: no such script, an unreadable or malformed stats file, a bad option. */
export class ProfileInputError extends Error {
  override name = 'ProfileInputError'
}

/** The profiler itself failed: Python could not start it, or it wrote no readable profile. */
export class ProfileRunError extends Error {
  override name = 'ProfileRunError'
  /** The profiled program's exit code, when it ran. */
  readonly exitCode: number | undefined
  /** The signal that ended it, when one did. */
  readonly signal: string | undefined
  /** pid of the profiled process, when it started. */
  readonly pid: number | undefined
  /** Last lines of the profiler's stderr, when captured. */
  readonly stderrTail: string

  constructor(
    message: string,
    details: { exitCode?: number; signal?: string; pid?: number; stderrTail?: string; cause?: unknown } = {},
  ) {
    super(message, { cause: details.cause })
    this.exitCode = details.exitCode
    this.signal = details.signal
    this.pid = details.pid
    this.stderrTail = details.stderrTail ?? ''
  }
}
