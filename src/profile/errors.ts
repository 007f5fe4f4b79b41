/** Typed errors of `pyport profile` and its API. */
import { PyportError } from '../errors.js'

/** Bad input from the caller: no such script, an unreadable or malformed stats file. (A bad option is a PyportOptionError.) */
export class ProfileInputError extends PyportError {
  override name = 'ProfileInputError'
  readonly code = 'PYPORT_PROFILE_INPUT'
}

/**
 * What failed (ProfileRunError's `failed`):
 * - 'start': the interpreter could not be started (`detail`: the OS's reason);
 * - 'exit': it exited (`exitCode`) before it wrote its output;
 * - 'signal': a signal (`signal`) ended it before it wrote its output;
 * - 'bad-output': what it wrote is not what pyport reads (`detail` says what is wrong).
 */
export type ProfileRunFailure = 'start' | 'exit' | 'signal' | 'bad-output'

/** What went wrong, from which ProfileRunError builds its message. */
export interface ProfileRunProblem {
  failed: ProfileRunFailure
  /**
   * 'profile' (default): the profiler running a program (python/pyport/profile/profiler.py); 'calibrate': the
   * calibration probe that measures the bridge and the TypeScript speed-up (python/pyport/profile/probe.py).
   */
  stage?: 'profile' | 'calibrate'
  /** 'profile': the program profiled as the report names it ('agent.py', '-m pkg.main'). */
  target?: string | undefined
  /** 'start': the interpreter that could not be started. */
  python?: string | undefined
  /** 'start': why it could not start; 'bad-output': what is wrong with the output. */
  detail?: string | undefined
  /** 'exit' and 'signal': the run had been cancelled, for this reason (the abort signal's). */
  cancelled?: string | undefined
  exitCode?: number | null | undefined
  signal?: string | null | undefined
  pid?: number | undefined
  stderrTail?: readonly string[]
  cause?: unknown
}

function describeRunProblem(p: ProfileRunProblem): string {
  const stage = p.stage ?? 'profile'
  const how = p.failed === 'signal' ? `was killed by ${p.signal ?? 'a signal'}` : `exited with code ${p.exitCode ?? '?'}`
  if (stage === 'calibrate') {
    const tail = p.stderrTail && p.stderrTail.length > 0 ? `: ${p.stderrTail.slice(-3).join(' / ')}` : ''
    switch (p.failed) {
      case 'start':
        return `could not start ${p.python ?? 'Python'} for the calibration probe: ${p.detail ?? 'no reason given'}`
      case 'exit':
        return `the calibration probe exited early (code ${p.exitCode ?? '?'})${tail}`
      case 'signal':
        return `the calibration probe was killed by ${p.signal ?? 'a signal'} before it answered${tail}`
      case 'bad-output':
        return `the calibration probe answered wrongly: ${p.detail ?? 'no reason given'}`
    }
  }
  const target = p.target ?? 'the program'
  switch (p.failed) {
    case 'start':
      return `could not start ${p.python ?? 'Python'} to profile ${target}: ${p.detail ?? 'no reason given'}`
    case 'exit':
    case 'signal':
      return p.cancelled !== undefined
        ? `${target} ${how} after the run was cancelled (${p.cancelled}); no profile was written.`
        : `${target} ${how} before the profiler could write its profile (killed, or it called os._exit). ` +
            'Nothing to report; let the program end normally (sys.exit is fine) to get a profile.'
    case 'bad-output':
      return `the profile written by the profiler (${target}) is malformed: ${p.detail ?? 'no reason given'}`
  }
}

/** The profiler itself failed: Python could not start it, or it wrote no readable profile. Its message is built from its fields. */
export class ProfileRunError extends PyportError {
  override name = 'ProfileRunError'
  readonly code = 'PYPORT_PROFILE_RUN'
  /** What failed: 'start', 'exit', 'signal' or 'bad-output' (see ProfileRunFailure). */
  readonly failed: ProfileRunFailure
  /** 'profile': the profiler running a program; 'calibrate': the calibration probe. */
  readonly stage: 'profile' | 'calibrate'
  /** The program profiled, as the report names it; undefined for the calibration probe. */
  readonly target: string | undefined
  /** 'start': the interpreter that could not be started. */
  readonly python: string | undefined
  /** 'start': why it could not start; 'bad-output': what is wrong with the output. */
  readonly detail: string | undefined
  /** Set when the run had been cancelled: the abort reason. */
  readonly cancelled: string | undefined
  /** The profiled program's exit code; null when it did not exit with one (it never started, or a signal ended it). */
  readonly exitCode: number | null
  /** The signal that ended it; null when none did. */
  readonly signal: string | null
  /** pid of the profiled process, when it started. */
  readonly pid: number | undefined
  /** The last lines of the profiler's stderr (without ANSI codes), when captured; as BridgeClosedError's. */
  readonly stderrTail: readonly string[]

  constructor(problem: ProfileRunProblem) {
    super(describeRunProblem(problem), { cause: problem.cause })
    this.failed = problem.failed
    this.stage = problem.stage ?? 'profile'
    this.target = problem.target
    this.python = problem.python
    this.detail = problem.detail
    this.cancelled = problem.cancelled
    this.exitCode = problem.exitCode ?? null
    this.signal = problem.signal ?? null
    this.pid = problem.pid
    this.stderrTail = problem.stderrTail ?? []
  }
}
