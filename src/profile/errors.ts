/** Typed errors of `pyport profile` and its API. */
import { PyportError } from '../errors.js'

/** Bad input from the caller: no such script, an unreadable or malformed stats file. (A bad option is a PyportOptionError.) */
export class ProfileInputError extends PyportError {
  override name = 'ProfileInputError'
  readonly code = 'PYPORT_PROFILE_INPUT'
}

/** The profiler itself failed: Python could not start it, or it wrote no readable profile. */
export class ProfileRunError extends PyportError {
  override name = 'ProfileRunError'
  readonly code = 'PYPORT_PROFILE_RUN'
  /** The profiled program's exit code; null when it did not exit with one (it never started, or a signal ended it). */
  readonly exitCode: number | null
  /** The signal that ended it; null when none did. */
  readonly signal: string | null
  /** pid of the profiled process, when it started. */
  readonly pid: number | undefined
  /** The last lines of the profiler's stderr (without ANSI codes), when captured; as BridgeClosedError's. */
  readonly stderrTail: readonly string[]

  constructor(
    message: string,
    details: { exitCode?: number | null | undefined; signal?: string | null | undefined; pid?: number | undefined; stderrTail?: readonly string[]; cause?: unknown } = {},
  ) {
    super(message, { cause: details.cause })
    this.exitCode = details.exitCode ?? null
    this.signal = details.signal ?? null
    this.pid = details.pid
    this.stderrTail = details.stderrTail ?? []
  }
}
