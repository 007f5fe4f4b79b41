import { mkdtemp, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { execa } from 'execa'
import { StderrTail } from '../bridge/stderr-tail.js'
import { pythonFile } from '../paths.js'
import { signalDescendants } from './descendants.js'
import { ProfileRunError } from './errors.js'
import { parseRawProfile, type RawProfile } from './raw.js'
import { targetArgs, type ProfileTarget } from './target.js'
import type { ProfileExit } from './types.js'

export interface RunProfilerOptions {
  /** Absolute path of the Python interpreter. */
  python: string
  cwd?: string
  /** The program's stdin: the host's ('inherit', the default), none ('ignore'), or this text. */
  stdin?: 'inherit' | 'ignore' | { input: string }
  /** The program's stdout/stderr: the host's ('inherit', the default), these streams, or kept in the result ('capture'). */
  output?: 'inherit' | 'capture' | { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream }
  /** Sampling interval in milliseconds (default 2). */
  intervalMs?: number
  env?: Record<string, string>
  signal?: AbortSignal
}

export interface ProfilerRun {
  raw: RawProfile
  exit: ProfileExit
  label: string
  /** Only with output 'capture'. */
  stdout?: string
  stderr?: string
}

/**
 * Runs the program under python/pyport/profile/profiler.py. The program owns stdin/stdout/stderr; the profile comes
 * back through a temporary file. Rejects with ProfileRunError when no profile could be written (the program
 * was killed, or called os._exit), with the exit status attached.
 */
export async function runProfiler(target: ProfileTarget, options: RunProfilerOptions): Promise<ProfilerRun> {
  const cwd = options.cwd ?? process.cwd()
  const { argv, label } = targetArgs(target, cwd)
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pyport-profile-'))
  const out = path.join(dir, 'profile.json')
  // A launcher script that does not exec (conda, uv, a wrapper) sits between us and Python, and killing it
  // would leave Python running (and holding the output pipes): on abort, signal the processes below it first.
  // Registered before execa's own cancel listener, so it runs while they are still the launcher's children.
  let pid: number | undefined
  const onAbort = () => {
    if (pid !== undefined) signalDescendants(pid, 'SIGTERM')
  }
  options.signal?.addEventListener('abort', onAbort, { once: true })
  try {
    const output = options.output ?? 'inherit'
    const stdin = options.stdin ?? 'inherit'
    const child = execa(
      options.python,
      ['-B', pythonFile('pyport', 'profile', 'profiler.py'), '--out', out, '--interval-ms', String(options.intervalMs ?? 2), ...argv],
      {
        cwd,
        reject: false,
        ...(options.env ? { env: options.env } : {}),
        ...(typeof stdin === 'object' ? { input: stdin.input } : { stdin }),
        stdout: output === 'inherit' ? 'inherit' : 'pipe',
        stderr: output === 'inherit' ? 'inherit' : 'pipe',
        ...(options.signal ? { cancelSignal: options.signal } : {}),
        buffer: output === 'capture',
        stripFinalNewline: false,
      },
    )
    pid = child.pid
    if (typeof output === 'object') {
      child.stdout?.pipe(output.stdout, { end: false })
      child.stderr?.pipe(output.stderr, { end: false })
    }
    const r = await child
    if (r.failed && r.exitCode === undefined && !r.signal) {
      throw new ProfileRunError({
        failed: 'start',
        target: label,
        python: options.python,
        detail: r.shortMessage ?? r.message,
        cause: r.cause,
      })
    }
    const captured = output === 'capture' ? { stdout: String(r.stdout), stderr: String(r.stderr) } : {}
    let text: string
    try {
      text = await readFile(out, 'utf8')
    } catch {
      const cancelled = options.signal?.aborted === true
      throw new ProfileRunError({
        failed: r.signal ? 'signal' : 'exit',
        target: label,
        cancelled: cancelled ? ((options.signal?.reason as Error | undefined)?.message ?? 'aborted') : undefined,
        exitCode: r.exitCode,
        signal: r.signal || undefined,
        pid: child.pid,
        stderrTail: stderrLines(r.stderr),
      })
    }
    // raw.pid is Python's pid, which is not child.pid when the interpreter is a launcher script that does not
    // exec (conda, uv, custom wrappers); the profiler itself makes sure a forked child never writes the profile.
    const raw = parseRawProfile(text, label)
    const exit: ProfileExit = {
      code: r.exitCode ?? null,
      signal: r.signal ?? null,
      reason: r.signal ? 'killed' : raw.exit.reason,
      ...(raw.exit.exception !== undefined ? { exception: raw.exit.exception } : {}),
      ...(raw.exit.message !== undefined ? { message: raw.exit.message } : {}),
    }
    return { raw, exit, label, ...captured }
  } finally {
    options.signal?.removeEventListener('abort', onAbort)
    await rm(dir, { recursive: true, force: true })
  }
}

/** The last 20 lines of what the profiled program wrote to stderr ([] when it was not captured). */
function stderrLines(stderr: unknown): string[] {
  const tail = new StderrTail(20)
  tail.push(typeof stderr === 'string' ? stderr : '')
  return tail.lines()
}
