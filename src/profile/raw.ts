import { ProfileRunError } from './errors.js'

/** The JSON python/pyport/profile/profiler.py writes (format "pyport-profile", version 2). */
export interface RawProfile {
  format: 'pyport-profile'
  version: 2
  python: string
  pid: number
  target: { module: string | null; script: string | null; args: string[] }
  exit: RawExit
  wallS: number
  cpuS: number
  samplerCpuS: number
  /** CPU seconds the call counter adds to each counted call (measured at start-up); taken back out in analysis. */
  counterCostS?: number
  counts: RawCount[]
  sampling: RawSampling
  threads: Record<string, string>
  mainThread: number
}

export interface RawExit {
  reason: 'returned' | 'sys.exit' | 'exception' | 'unknown'
  code: number | null
  exception?: string
  message?: string
}

export interface RawCount {
  file: string
  line: number
  name: string
  calls: number
}

/** Whose code a frame runs (python/pyport/profile/paths.py): 'import' is the import machinery, or a pseudo-frame
 *  "import NAME" for an import statement being executed; 'loop' the pseudo-frame "(asyncio event loop)" for a thread
 *  in its event loop with no task running. */
export type FrameKind = 'user' | 'stdlib' | 'package' | 'import' | 'pyport' | 'loop'

export interface RawFrame {
  file: string
  line: number
  name: string
  /** kind !== 'user' */
  foreign: boolean
  kind: FrameKind
  /** Top-level module name: the package (or standard-library module) the frame's code belongs to, or the module
   *  an "import NAME" pseudo-frame imports; null for the user's code and the import machinery. */
  package: string | null
}

export interface RawStack {
  thread: number
  /** An asyncio task's coroutine stack (sampled while the task waits), not the thread's own stack. */
  task: boolean
  /** Indices into frames, outermost first. */
  stack: number[]
  n: number
  cpuS: number
  gilS: number
  ioS: number
  /** Run-queue wait: runnable, no core free. */
  coreS: number
  /** The part of ioS spent waiting on other threads (a futex that is not the GIL's) or tasks (an awaited task or gather()). */
  lockS: number
}

export interface RawSampling {
  samples: number
  intervalMs: number
  /** 'proc' (each thread's system call at the sample, Linux) or 'timing' (the portable fallback). */
  waitMethod: string
  waitMethodDetail: string
  /** How the main thread's CPU was sampled: 'signal' (SIGPROF, where it is spent) or 'thread' (the sampling thread). */
  mainCpu?: 'signal' | 'thread'
  frames: RawFrame[]
  stacks: RawStack[]
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)

/** Checks the shape of the profiler's output: a mismatch means a pyport bug or a foreign file, never silence. */
export function parseRawProfile(text: string, source: string): RawProfile {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (err) {
    throw new ProfileRunError({ failed: 'bad-output', target: source, detail: `not valid JSON (${(err as Error).message})` })
  }
  const fail = (what: string): never => {
    throw new ProfileRunError({ failed: 'bad-output', target: source, detail: what })
  }
  if (!isObject(data) || data['format'] !== 'pyport-profile') fail('expected an object with format "pyport-profile"')
  const d = data as Record<string, unknown>
  if (d['version'] !== 2) fail(`unsupported version ${String(d['version'])}, expected 2`)
  if (!isNum(d['wallS']) || !isNum(d['cpuS'])) fail('wallS and cpuS must be numbers')
  if (!isObject(d['exit'])) fail('exit must be an object')
  if (!Array.isArray(d['counts'])) fail('counts must be a list')
  const s = d['sampling']
  if (!isObject(s) || !Array.isArray(s['frames']) || !Array.isArray(s['stacks']) || !isNum(s['intervalMs'])) {
    fail('sampling must have frames, stacks and intervalMs')
  }
  const sampling = s as RawSampling
  if (typeof sampling.waitMethod !== 'string') fail('sampling.waitMethod must be a string')
  for (const st of sampling.stacks) {
    if (!Array.isArray(st.stack) || !st.stack.every((i) => Number.isInteger(i) && i >= 0 && i < sampling.frames.length)) {
      fail('a sampled stack refers to a frame that does not exist')
    }
    if (![st.cpuS, st.gilS, st.ioS, st.coreS, st.lockS].every(isNum)) fail('a sampled stack lacks cpuS, gilS, ioS, coreS or lockS')
  }
  return data as RawProfile
}
