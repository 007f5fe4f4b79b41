import { PyportOptionError } from '../errors.js'
import { resolveInterpreter } from '../bridge/interpreter.js'
import { advise } from './advisor.js'
import { analyse } from './analyse.js'
import { calibrate } from './calibrate.js'
import type { RawProfile } from './raw.js'
import { runProfiler, type ProfilerRun, type RunProfilerOptions } from './run.js'
import type { ProfileTarget } from './target.js'
import type { Calibration, ProfileReport } from './types.js'

export interface ProfileOptions extends Omit<RunProfilerOptions, 'python'> {
  /** Python interpreter (default: PYPORT_PYTHON, else python3). */
  python?: string
  /** Use this TypeScript-vs-Python speed ratio instead of measuring it. */
  speedup?: number | undefined
  /** Use this bridge cost per call (µs) instead of measuring it. */
  bridgeUs?: number | undefined
}

export interface ProfileResult {
  report: ProfileReport
  /** The profiler's raw output (samples and stacks), for the speedscope export. */
  raw: RawProfile
  stdout?: string
  stderr?: string
}

export const METHOD_NOTE =
  "method: a sampling thread reads every thread's stack every ~2 ms (later when a busy thread holds the GIL) and splits the time " +
  'since the last sample into CPU, waiting for a core (run queue), GIL wait and I/O wait, by what each thread was blocked in; ' +
  "the main thread's CPU is sampled where it is spent (SIGPROF) and each waiting asyncio task on its own stack; " +
  'exact call counts come from a counter compiled into each of your functions, its measured cost taken back out'

/** Analysis and advice for one profiler run (profile() without the running). */
export function buildProfileReport(run: ProfilerRun, calibration: Calibration, pythonVersion: string): ProfileReport {
  const { functions, totals } = analyse(run.raw)
  const advice = advise({ functions, calibration, wallS: totals.wallS, cpuS: totals.cpuS, intervalS: totals.intervalMs / 1000 })
  const notes = [
    METHOD_NOTE,
    `waits: ${totals.waitMethodDetail}; main thread's CPU: ${totals.mainCpu === 'signal' ? 'SIGPROF samples (where it is spent)' : 'the sampling thread'}`,
  ]
  if (totals.samples < 20) {
    notes.push(`only ${totals.samples} samples: the program ran ${totals.wallS.toFixed(3)} s; times are rough below ~50 ms`)
  }
  return { target: run.label, python: pythonVersion, exit: run.exit, totals, functions, advice, calibration, notes }
}

function checkPositive(name: string, v: number | undefined): void {
  if (v !== undefined && !(typeof v === 'number' && Number.isFinite(v) && v > 0)) {
    throw new PyportOptionError({ option: name, expected: 'a finite number > 0', received: v, owner: 'profile' })
  }
}

/**
 * Profiles a Python program and ranks its functions by the time a TypeScript port would save. Rejects with
 * PyportOptionError (a bad option), ProfileInputError (a bad target), PythonNotFoundError, or ProfileRunError (no
 * profile written).
 */
export async function profile(target: ProfileTarget, options: ProfileOptions = {}): Promise<ProfileResult> {
  checkPositive('speedup', options.speedup)
  checkPositive('bridgeUs', options.bridgeUs)
  if (
    options.intervalMs !== undefined &&
    !(Number.isFinite(options.intervalMs) && options.intervalMs >= 0.5 && options.intervalMs <= 1000)
  ) {
    throw new PyportOptionError({ option: 'intervalMs', expected: 'between 0.5 and 1000', received: options.intervalMs, owner: 'profile' })
  }
  const { path: python, version } = await resolveInterpreter(options.python, { ...process.env, ...options.env }, options.cwd)
  const run = await runProfiler(target, { ...options, python })
  const calibration = await calibrate({ python, speedup: options.speedup, bridgeUs: options.bridgeUs })
  return {
    report: buildProfileReport(run, calibration, version),
    raw: run.raw,
    ...(run.stdout !== undefined ? { stdout: run.stdout } : {}),
    ...(run.stderr !== undefined ? { stderr: run.stderr } : {}),
  }
}
