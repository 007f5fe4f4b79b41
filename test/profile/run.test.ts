import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { PythonNotFoundError } from '../../src/bridge/errors.js'
import { ProfileInputError, ProfileRunError } from '../../src/profile/errors.js'
import { waitGone } from '../bridge/helpers.js'
import { byName, fixture, profileFixture } from './helpers.js'

describe('profile(): a program whose split is known', () => {
  it('counts calls exactly, classes the sleeper I/O-bound and sends the tiny function to its caller', async () => {
    const { report, stdout } = await profileFixture({ script: 'split.py' })
    expect(stdout).toContain('split done')
    expect(report.exit).toMatchObject({ code: 0, reason: 'returned' })
    const f = (n: string) => byName(report.functions, n)
    expect(f('tiny').calls).toBe(1_000_000)
    expect(f('spin').calls).toBe(2)
    expect(f('heavy').calls).toBe(1)
    expect(f('sleeper').class).toBe('io')
    expect(f('spin').class).not.toBe('io')
    // spin runs 2:1 under heavy and medium: its CPU is the bulk of the program's
    expect(f('spin').selfCpuShare).toBeGreaterThan(0.5)
    expect(f('heavy').cum.cpuS).toBeGreaterThan(f('medium').cum.cpuS)
    const a = (n: string) => byName(report.advice, n)
    expect(report.advice[0]?.name).toBe('spin')
    expect(a('spin').verdict).toBe('port')
    expect(a('sleeper').verdict).toBe('io-bound')
    expect(a('sleeper').reason).toMatch(/waits on I\/O \d+ % of its time: porting will not help/)
    expect(a('tiny').verdict).toBe('port-caller')
    expect(a('tiny').reason).toMatch(
      /1\.0 M calls of .*the bridge \(200 µs a call\) would cost more than it saves — port its caller `tiny_caller` instead/,
    )
    expect(a('tiny_caller').verdict).toBe('port')
    expect(a('tiny_caller').portWith).toEqual(['tiny'])
  })

  // retried: one clean-clone CI run (2 cores, other test files running) saw no sample of agent-1 in crunch; not
  // reproduced here in 8 runs beside 4 busy processes. The message carries what was sampled, to tell why next time.
  it('covers every thread, with each thread named', { retry: 2 }, async () => {
    const { report, stdout } = await profileFixture({ script: 'threads.py' })
    expect(stdout).toContain('threads done')
    const crunch = byName(report.functions, 'crunch')
    expect(crunch.calls).toBe(2)
    const seen = JSON.stringify({ threads: crunch.threads, samples: crunch.self.samples, totals: report.totals })
    expect(crunch.threads.sort(), seen).toEqual(['agent-0', 'agent-1'])
    expect(crunch.self.cpuS).toBeGreaterThan(0)
    expect(report.totals.threads).toBeGreaterThanOrEqual(2)
  })

  it('counts a huge number of tiny calls exactly and says how it measured', async () => {
    const { report } = await profileFixture({ script: 'many_calls.py' })
    expect(byName(report.functions, 'tiny').calls).toBe(3_000_000)
    expect(byName(report.advice, 'tiny').verdict).toBe('port-caller')
    expect(report.notes.join('\n')).toMatch(/sampling thread .* exact call counts/)
  })

  it('runs a module with -m and passes the program its arguments', async () => {
    const { report, stdout } = await profileFixture({ module: 'modpkg.work', args: ['--docs', '5'] })
    expect(stdout).toContain("module args ['--docs', '5']")
    expect(byName(report.functions, 'compute').calls).toBe(1)
  })

  it('passes stdin through to a script that reads it', async () => {
    const { stdout, stderr, report } = await profileFixture({ script: 'stdin_upper.py' }, { stdin: { input: 'hello agent\n' } })
    expect(stdout).toContain('HELLO AGENT')
    expect(stderr).toContain('read 12 bytes')
    expect(byName(report.functions, 'shout').calls).toBe(1)
  })
})

describe('profile(): programs that end badly still get a profile', () => {
  it('sys.exit(3): exit status reported, profile kept', async () => {
    const { report, stdout } = await profileFixture({ script: 'exit3.py' })
    expect(stdout).toContain('before exit')
    expect(report.exit).toMatchObject({ code: 3, reason: 'sys.exit' })
    expect(byName(report.functions, 'work').calls).toBe(1)
  })

  it('an uncaught exception: traceback on stderr as Python prints it, exit 1, profile kept', async () => {
    const { report, stderr } = await profileFixture({ script: 'raises.py' })
    expect(report.exit).toMatchObject({ code: 1, reason: 'exception', exception: 'ValueError', message: 'the agent gave up' })
    expect(stderr).toMatch(/Traceback \(most recent call last\):\n {2}File ".*raises\.py", line 10, in <module>/)
    expect(stderr).not.toContain('profiler.py')
    expect(byName(report.functions, 'fail').calls).toBe(1)
  })

  it("a syntax error: reported as the program's exception with exit 1", async () => {
    const { report, stderr } = await profileFixture({ script: 'syntax_error.py' })
    expect(report.exit).toMatchObject({ code: 1, exception: 'SyntaxError' })
    expect(stderr).toMatch(/syntax_error\.py", line 1[\s\S]*SyntaxError/)
  })

  it('a program that forks: the child runs and only the parent writes the profile', async () => {
    const { report, stdout } = await profileFixture({ script: 'forks.py' })
    expect(stdout).toContain('child 4999950000')
    expect(stdout).toContain('parent saw child exit 0')
    expect(report.exit.code).toBe(0)
  })

  it('a forked child that exits normally never writes the profile', async () => {
    const err = await profileFixture({ script: 'fork_then_os_exit.py' }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ProfileRunError)
    expect((err as ProfileRunError).exitCode).toBe(0)
  })

  it('an empty program: an empty but valid report', async () => {
    const { report } = await profileFixture({ script: 'empty.py' })
    expect(report.exit.code).toBe(0)
    expect(report.advice.filter((a) => a.verdict === 'port')).toEqual([])
  })

  it('os._exit: rejects with ProfileRunError carrying the exit code', async () => {
    const err = await profileFixture({ script: 'os_exit.py' }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ProfileRunError)
    expect((err as ProfileRunError).exitCode).toBe(4)
    expect((err as Error).message).toMatch(/exited with code 4 before the profiler could write its profile/)
  })
})

describe('profile(): lifecycle', () => {
  it("waits for non-daemon threads and the program's atexit handlers, with a daemon thread still running", async () => {
    const { report, stdout } = await profileFixture({ script: 'late_threads.py' })
    expect(stdout).toMatch(/main returns[\s\S]*worker finished after main[\s\S]*program atexit ran/)
    expect(report.exit.code).toBe(0)
    expect(byName(report.functions, 'slow_worker')).toMatchObject({ calls: 1, threads: ['late-worker'] })
  })

  it('runs through a launcher script that does not exec (Python is not the direct child), a relative path resolved against cwd', async () => {
    const { report, stdout } = await profileFixture({ script: 'split.py' }, { python: './python-wrapper.sh' })
    expect(stdout).toContain('split done')
    expect(report.exit).toMatchObject({ code: 0, reason: 'returned' })
    expect(byName(report.functions, 'tiny').calls).toBe(1_000_000)
  })

  it('an abort signal stops the program: rejects with ProfileRunError and leaves no process behind', async () => {
    const controller = new AbortController()
    let text = ''
    const stdout = new Writable({
      write(chunk, _enc, cb) {
        text += String(chunk)
        if (text.includes('ready')) controller.abort()
        cb()
      },
    })
    const err = await profileFixture(
      { script: 'forever.py' },
      {
        output: {
          stdout,
          stderr: new Writable({
            write: (_c, _e, cb) => {
              cb()
            },
          }),
        },
        signal: controller.signal,
      },
    ).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ProfileRunError)
    expect((err as Error).message).toMatch(/forever\.py was killed by SIG[A-Z]+ after the run was cancelled \(.+\); no profile was written/)
    const pid = (err as ProfileRunError).pid
    expect(pid).toBeGreaterThan(0)
    expect(() => process.kill(pid as number, 0)).toThrow()
  })
})

describe('profile(): an abort through a launcher script that does not exec', () => {
  it('stops Python too (not only the launcher): rejects instead of hanging, and leaves no process', async () => {
    const controller = new AbortController()
    let text = ''
    let pythonPid = 0
    const stdout = new Writable({
      write(chunk, _enc, cb) {
        text += String(chunk)
        const m = /ready (\d+)/.exec(text)
        if (m && !pythonPid) {
          pythonPid = Number(m[1])
          controller.abort()
        }
        cb()
      },
    })
    const err = await profileFixture(
      { script: 'forever_pid.py' },
      {
        python: './python-wrapper.sh',
        output: {
          stdout,
          stderr: new Writable({
            write: (_c, _e, cb) => {
              cb()
            },
          }),
        },
        signal: controller.signal,
      },
    ).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ProfileRunError)
    expect((err as Error).message).toMatch(/after the run was cancelled/)
    expect(pythonPid).toBeGreaterThan(0)
    expect(pythonPid).not.toBe((err as ProfileRunError).pid) // the launcher was the direct child
    expect(await waitGone(pythonPid)).toBe(true)
  })
})

describe('profile(): bad input rejects before anything runs', () => {
  it.each([
    [{ script: 'no_such.py' }, /script "no_such\.py" does not exist \(looked for .*no_such\.py\)/],
    [{ script: '.' }, /script "\." is not a file/],
    [{ module: 'not a module' }, /"not a module" is not a Python module name/],
    [{ script: '' }, /no script given/],
  ])('%j', async (target, message) => {
    await expect(profileFixture(target)).rejects.toThrow(ProfileInputError)
    await expect(profileFixture(target)).rejects.toThrow(message)
  })

  it('a missing interpreter rejects with PythonNotFoundError', async () => {
    await expect(profileFixture({ script: 'empty.py' }, { python: '/nonexistent/python3' })).rejects.toThrow(PythonNotFoundError)
  })

  it('rejects bad numeric options', async () => {
    await expect(profileFixture({ script: fixture('empty.py') }, { speedup: -1 })).rejects.toThrow(
      /profile: `speedup` must be a finite number > 0, got -1/,
    )
    await expect(profileFixture({ script: fixture('empty.py') }, { intervalMs: 0 })).rejects.toThrow(
      /`intervalMs` must be between 0\.5 and 1000/,
    )
  })
})
