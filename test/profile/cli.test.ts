import { mkdtemp, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { execa } from 'execa'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cliPath, runInProcess } from '../cli/helpers.js'
import { fixture, fixtures } from './helpers.js'

let dir = ''
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'pyport-profile-cli-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** The built CLI as a user runs it, with stdin fed in. */
function pyport(args: string[], input = '') {
  return execa(process.execPath, [cliPath, 'profile', ...args], { reject: false, input, cwd: fixtures, timeout: 120_000 })
}

const fast = ['--speedup', '30', '--bridge-us', '200']

describe('pyport profile (built CLI)', () => {
  it('passes stdin and -- ARGS to the program, prints its output, then the table; writes --json and --speedscope', async () => {
    const json = path.join(dir, 'p.json')
    const ss = path.join(dir, 'p.speedscope.json')
    const r = await pyport(
      ['stdin_upper.py', ...fast, '--json', json, '--speedscope', ss, '--top', '3', '--', 'ignored-arg'],
      'quiet words\n',
    )
    expect(r.exitCode).toBe(0)
    expect(r.stdout.indexOf('QUIET WORDS')).toBeLessThan(r.stdout.indexOf('pyport profile: stdin_upper.py — exit 0'))
    expect(r.stderr).toContain('read 12 bytes')
    expect(r.stdout).toMatch(/speed-up 30× \(--speedup\), bridge 200 µs a call \(--bridge-us\)/)
    const report = JSON.parse(await readFile(json, 'utf8'))
    expect(report.functions.find((f: { name: string }) => f.name === 'shout').calls).toBe(1)
    expect(report.exit).toMatchObject({ code: 0 })
    const speedscope = JSON.parse(await readFile(ss, 'utf8'))
    expect(speedscope.$schema).toBe('https://www.speedscope.app/file-format-schema.json')
    expect(speedscope.profiles.length).toBeGreaterThan(0) // even a program too short for a sample gets one (empty) profile
  })

  it('a program that exits 3: its profile is printed, the exit status reported, exit code 1', async () => {
    const r = await pyport(['exit3.py', ...fast])
    expect(r.exitCode).toBe(1)
    expect(r.stdout).toContain('exit 3 (sys.exit)')
    expect(r.stdout).toMatch(/work {2}exit3\.py:4/)
    expect(r.stderr).toContain('pyport profile: exit3.py exited with code 3; its profile is above.')
  })

  it('the known split: sleeper I/O, tiny function sent to its caller, in the table', async () => {
    const r = await pyport(['split.py', ...fast])
    expect(r.exitCode).toBe(0)
    expect(r.stdout).toMatch(/^1 {2}spin {2}split\.py:17/m)
    expect(r.stdout).toContain('port its caller `tiny_caller` instead')
    expect(r.stdout).toContain('porting will not help')
  })

  it('--from-stats: advice from saved bridge stats', async () => {
    const r = await pyport(['--from-stats', fixture('stats-bridge.json'), ...fast])
    expect(r.exitCode).toBe(0)
    expect(r.stdout).toMatch(/score .* 20 k/)
    expect(r.stdout).toContain('batch the calls with map()')
  })

  it('os._exit: no profile, one clear line, exit 1', async () => {
    const r = await pyport(['os_exit.py', ...fast])
    expect(r.exitCode).toBe(1)
    expect(r.stdout).toContain('leaving abruptly')
    expect(r.stderr).toMatch(/os_exit\.py exited with code 4 before the profiler could write its profile/)
  })
})

describe('pyport profile: a run that cannot happen exits 1 with the fix', () => {
  it('a missing interpreter', async () => {
    const r = await runInProcess(['profile', fixture('empty.py'), '--python', '/nonexistent/python3'])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(
      /Python interpreter "\/nonexistent\/python3" \(from the `python` option\) does not exist.*--python \/path\/to\/python3/,
    )
  })
})

describe('pyport profile: bad usage exits 2 with one clear line', () => {
  it.each([
    [['profile'], /nothing to profile\. Usage: pyport profile SCRIPT\.py/],
    [['profile', 'a.py', 'b.py'], /got 2 scripts: "a\.py", "b\.py"; arguments for the script go after --/],
    [['profile', 'a.py', '-m', 'x'], /give exactly one of SCRIPT, -m MODULE or --from-stats FILE/],
    [['profile', 'test/fixtures/profile/nope.py'], /script "test\/fixtures\/profile\/nope\.py" does not exist/],
    [['profile', 'x.py', '--top', '0'], /--top expects a whole number >= 1, got 0/],
    [['profile', 'x.py', '--speedup', 'fast'], /--speedup expects a number > 0/],
    [['profile', 'x.py', '--interval-ms', '0.1'], /--interval-ms must be >= 0\.5/],
    [['profile', 'x.py', '--json', ''], /--json needs a file name/],
    [['profile', 'x.py', '--frobnicate'], /Unknown option '--frobnicate'/],
    [['profile', '-m', 'bad name'], /"bad name" is not a Python module name/],
    [
      ['profile', '--from-stats', '/nonexistent.json', '--speedup', '2', '--bridge-us', '2'],
      /cannot read stats file "\/nonexistent\.json"/,
    ],
    [['profile', '--from-stats', 's.json', '--speedscope', 'x'], /--speedscope needs a profiled run/],
  ])('%j', async (args, message) => {
    const r = await runInProcess(args)
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(message)
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
  })
})

describe('pyport profile --help', () => {
  it('states the saving a port must reach, and how library time is treated', async () => {
    const r = await runInProcess(['profile', '--help'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/"port it" only when the saving is at least 2\.0 % of the program's wall time/)
    expect(r.stdout).toMatch(/CPU in libraries is counted unchanged/)
  })
})
