/** The shapes of a profile after analysis, and of the advice. */

export type FunctionClass = 'cpu' | 'io' | 'mixed' | 'unknown'

/** Times in seconds. "self" includes the C and standard-library functions it called; "cum" everything below it. */
export interface FunctionTimes {
  cpuS: number
  /** Waiting for the GIL (blocked on the GIL's futex, or runnable without a core to take it on). */
  gilS: number
  /** Blocked in the kernel for anything but the GIL: sleep, sockets, files, pipes, child processes, other threads' locks. */
  ioS: number
  /** Waiting for a CPU core while runnable (Linux run-queue wait: other processes had the cores); 0 elsewhere. */
  coreS: number
  /** cpuS + gilS + ioS + coreS. */
  wallS: number
  samples: number
}

export interface FunctionProfile {
  /** "file:line:qualname", unique. */
  key: string
  file: string
  line: number
  /** Qualified name, e.g. "Ranker.score" or "main.<locals>.worker". */
  name: string
  /** Exact call count; null where pyport could not count (lambdas, code compiled at run time). */
  calls: number | null
  self: FunctionTimes
  cum: FunctionTimes
  /** Share of the program's sampled CPU time spent in this function itself, 0..1. */
  selfCpuShare: number
  class: FunctionClass
  /** Callers among the user's functions, heaviest first, with the wall time seen under each. */
  callers: { key: string; name: string; wallS: number }[]
  /** Names of the threads it ran in. */
  threads: string[]
}

export type Verdict = 'port' | 'port-caller' | 'io-bound' | 'too-small' | 'module-level'

export interface Advice {
  key: string
  name: string
  verdict: Verdict
  /** Estimated seconds saved over this run if ported (0 when porting would not help). */
  savedS: number
  /** savedS as a share of the program's wall time. */
  savedShare: number
  /** One line for a person. */
  reason: string
  /** For 'port-caller': the caller to port instead. For a caller: the callees it should take along. */
  portCaller?: string
  portWith?: string[]
}

export interface Calibration {
  /** How many times faster the TypeScript kernel ran than the same Python kernel. */
  speedup: number
  /** Cost of one call across the bridge, in microseconds. */
  bridgeUs: number
  /** Where each figure came from. */
  source: { speedup: 'measured' | 'option'; bridgeUs: 'measured' | 'option' }
  /** What was measured, for the report. */
  detail: string
}

export interface ProfileTotals {
  wallS: number
  /** Sampled CPU of the program's threads (the denominator of every CPU share). */
  cpuS: number
  /** CPU of the whole process, sampler included. */
  processCpuS: number
  samples: number
  intervalMs: number
  threads: number
  /** Sampled time waiting for a CPU core (the machine was busy), summed over threads. */
  coreS: number
  /** How GIL waits were told from I/O waits: 'proc' (the thread's system call, Linux) or 'timing' (the fallback). */
  waitMethod: string
  waitMethodDetail: string
}

export interface ProfileExit {
  /** Exit code of the program (the profiler exits with it). null when killed by a signal. */
  code: number | null
  signal: string | null
  reason: 'returned' | 'sys.exit' | 'exception' | 'unknown' | 'killed'
  exception?: string
  message?: string
}

export interface ProfileReport {
  target: string
  python: string
  exit: ProfileExit
  totals: ProfileTotals
  functions: FunctionProfile[]
  advice: Advice[]
  calibration: Calibration
  /** Method and caveats, one line each. */
  notes: string[]
}
