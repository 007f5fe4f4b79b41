import { mkdtemp, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { execa } from 'execa'
import { RunFailedError } from '../../src/cli/command.js'
import { packageRoot } from '../../src/paths.js'
import { buildProfileReport } from '../../src/profile/profile.js'
import { runProfiler } from '../../src/profile/run.js'
import type { Calibration, ProfileReport } from '../../src/profile/types.js'

/** Its own program, not test/fixtures/profile/split.py: this one takes a SCALE and writes its ground truth. */
export const SPLIT_PROGRAM = path.join(packageRoot, 'bench', 'profile', 'known_split.py')
export const PARTS = ['heavy', 'medium', 'tiny_caller'] as const

/** CPU seconds each part really took, measured by the program itself (time.thread_time around each call). */
export interface Truth {
  cpuS: number
  parts: Record<string, number>
}

// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the shape of the truth JSON the program wrote
async function withTruthFile<T, U>(fn: (file: string) => Promise<T>): Promise<{ result: T; truth: U }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pyport-bench-profile-'))
  const file = path.join(dir, 'truth.json')
  try {
    const result = await fn(file)
    const truth = JSON.parse(await readFile(file, 'utf8')) as U
    return { result, truth }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/** A program without the profiler: wall time of the whole process, and the split it measured for itself. */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the shape of the truth JSON the program wrote
export async function runPlainProgram<U = Truth>(python: string, script: string, args: string[]): Promise<{ seconds: number; truth: U }> {
  const { result, truth } = await withTruthFile<number, U>(async (file) => {
    const t0 = performance.now()
    const r = await execa(python, [script, ...args], {
      reject: false,
      stdin: 'ignore',
      env: { PYPORT_SPLIT_TRUTH: file, PYTHONDONTWRITEBYTECODE: '1' },
      timeout: 10 * 60_000,
    })
    const seconds = (performance.now() - t0) / 1000
    if (r.exitCode !== 0) throw new RunFailedError(`${path.basename(script)} failed (exit ${r.exitCode}): ${r.stderr.slice(-500)}`)
    return seconds
  })
  return { seconds: result, truth }
}

/** The known-split program without the profiler. */
export function runPlain(python: string, scale: number): Promise<{ seconds: number; truth: Truth }> {
  return runPlainProgram(python, SPLIT_PROGRAM, [String(scale)])
}

/** A program under `pyport profile`: wall time of the profiled process (start-up and write-out included). */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the shape of the truth JSON the program wrote
export async function runProfiled<U = Truth>(
  python: string,
  script: string,
  args: string[],
  calibration: Calibration,
): Promise<{ seconds: number; report: ProfileReport; truth: U | undefined }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pyport-bench-profile-'))
  const file = path.join(dir, 'truth.json')
  try {
    const t0 = performance.now()
    const run = await runProfiler({ script, args }, { python, stdin: 'ignore', output: 'capture', env: { PYPORT_SPLIT_TRUTH: file } })
    const seconds = (performance.now() - t0) / 1000
    if (run.exit.code !== 0)
      throw new RunFailedError(`${script} exited with ${run.exit.code} under the profiler: ${run.stderr?.slice(-500) ?? ''}`)
    const truth = await readFile(file, 'utf8').then(
      (t) => JSON.parse(t) as U,
      () => undefined,
    )
    return { seconds, report: buildProfileReport(run, calibration, ''), truth }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/** The profiler's CPU share for each part: self for the loops, cumulative for tiny_caller (it includes tiny). */
export function reportedShares(report: ProfileReport): Record<string, number> {
  const total = report.totals.cpuS
  const f = (name: string) => report.functions.find((x) => x.name === name)
  return {
    heavy: (f('heavy')?.self.cpuS ?? 0) / total,
    medium: (f('medium')?.self.cpuS ?? 0) / total,
    tiny_caller: (f('tiny_caller')?.cum.cpuS ?? 0) / total,
  }
}
