/** The shapes of a profile after analysis, and of the advice. */

import type { BridgeKind } from './port-call-cost.js'

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
  /** The part of ioS spent waiting on other threads (a lock, join(), a queue, an Event) or, in asyncio, on other
   *  tasks (an awaited task or gather()). */
  lockS: number
  /** cpuS + gilS + ioS + coreS. */
  wallS: number
  samples: number
}

/** Where a function's self CPU went; the parts add up to self.cpuS. */
export interface CpuSplit {
  /** Its own code, with the C functions (builtins, C extensions) it calls directly: sampling cannot see into them. */
  ownS: number
  /** Standard-library Python code it called (and what that called in turn). */
  stdlibS: number
  /** Third-party packages it called, by top-level module name (what that called in turn included). */
  packages: Record<string, number>
  /** Import statements it ran (module-level imports, lazy imports): see `imports`. */
  importS: number
}

/** Time spent importing one module (by the top-level name imported), while this function was the innermost user frame. */
export interface ImportTime {
  name: string
  cpuS: number
  wallS: number
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
  /** Its self CPU split: own code, standard library, each third-party package, imports. */
  selfCpuIn: CpuSplit
  /** Its self time spent importing, by module, heaviest first. */
  imports: ImportTime[]
  class: FunctionClass
  /** Callers among the user's functions, heaviest first, with the wall time seen under each. */
  callers: { key: string; name: string; wallS: number }[]
  /** Names of the threads it ran in. */
  threads: string[]
}

/**
 * port            a port saves at least MIN_SAVED_SHARE of the wall time
 * port-caller     its calls are too small for the bridge: port the caller (judged with it)
 * port-enclosing  a lambda, closure or nested function: it is judged with the function it is defined in
 * library         most of its CPU is in a third-party package (or the standard library): a port needs a TypeScript equivalent of it
 * import          most of its CPU is import time: start-up, not code to port
 * io-bound        it waits on I/O: a port will not help
 * too-small       too little CPU, or a saving too small to pay for a port
 * module-level    CPU in module-level code: move it into a function first
 */
export type Verdict = 'port' | 'port-caller' | 'port-enclosing' | 'library' | 'import' | 'io-bound' | 'too-small' | 'module-level'

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
  /** How savedS was estimated, for a person ("saved = own code … × (1 − 1/speedup) − calls × bridge; … counted unchanged"). */
  estimate?: string
  /** For 'port-caller': the caller to port instead. For a caller: the callees it should take along. */
  portCaller?: string
  portWith?: string[]
  /** For 'port-enclosing': the function it is defined in. For that function: the nested ones judged with it. */
  portEnclosing?: string
  inner?: string[]
  /** For 'library': the package (or "the standard library") its CPU is mostly in. */
  library?: string
}

export interface Calibration {
  /** How many times faster the TypeScript kernel ran than the same Python kernel. */
  speedup: number
  /** Cost of one call across the bridge, in microseconds (see port-call-cost.ts for which round trip it is). */
  bridgeUs: number
  /** Which round trip bridgeUs is (absent when given as an option). */
  bridgeKind?: BridgeKind
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
  /** How the main thread's CPU was sampled: 'signal' (SIGPROF, where it is spent) or 'thread' (the sampling thread). */
  mainCpu: 'signal' | 'thread'
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
