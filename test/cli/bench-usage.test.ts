import { describe, expect, it } from 'vitest'
import { runInProcess } from './helpers.js'

describe('pyport bench: bad usage exits 2 with one clear line', () => {
  it.each([
    [['bench', '--runs', '0'], /--runs expects a whole number >= 1, got 0\. Example: --runs 5/],
    [['bench', '--runs', 'abc'], /--runs expects a whole number >= 1, got "abc"/],
    [['bench', '--runs', '2.5'], /--runs expects a whole number >= 1, got "2\.5"/],
    [['bench', '--suite', 'nope'], /unknown suite "nope"\. Available: article/],
    [['bench', '--frobnicate'], /pyport bench: Unknown option '--frobnicate'\. See `pyport bench --help`/],
    [['bench', '--io-seconds=-1'], /--io-seconds expects a number > 0 and <= 60, got "-1"/],
    [['bench', '--io-seconds', '-1'], /^pyport bench: --io-seconds expects a number > 0 and <= 60, got "-1"\. Example: --io-seconds 1\.\n/],
    [['bench', '--runs', '-1'], /^pyport bench: --runs expects a whole number >= 1, got -1\. Example: --runs 5\.\n/],
    [['bench', '--warmup', '-2'], /^pyport bench: --warmup expects a whole number >= 0, got -2\./],
    [['bench', '--limit', '-1e3'], /^pyport bench: --limit expects a whole number >= 1000, got "-1e3"\./],
    [['bench', '--io-seconds', '-.5'], /--io-seconds expects a number > 0 and <= 60, got "-\.5"/],
    [['bench', '--io-seconds', 'NaN'], /--io-seconds expects a number > 0/],
    [['bench', '--limit', '5'], /--limit expects a whole number >= 1000/],
    [['bench', '--json'], /Option '--json <value>' argument missing\. See `pyport bench --help`/],
  ])('%j', async (args, message) => {
    const r = await runInProcess(args)
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(message)
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
    expect(r.stdout).toBe('')
  })

  it('a negative number given to a numeric option of any command names the option, never "argument is ambiguous"', async () => {
    for (const [args, message] of [
      [['report', 'x.jsonl', '--ready-after', '-1'], /^pyport report: --ready-after expects a whole number >= 1, got -1\./],
      [
        ['verify', '--corpus', 'c.jsonl', '--port', 'p.js', '--threads', '-1'],
        /^pyport verify: --threads expects a whole number >= 1, got -1\./,
      ],
      [
        ['verify', '--corpus', 'c.jsonl', '--port', 'p.js', '--rtol', '-1e-9'],
        /^pyport verify: --rtol expects a number >= 0, got "-1e-9"\./,
      ],
    ] as const) {
      const r = await runInProcess([...args])
      expect(r.stderr).not.toMatch(/ambiguous/)
      expect(r.stderr.trim()).toMatch(message)
      expect(r.code).toBe(2)
    }
  })

  it('still refuses an option where a value should be', async () => {
    const r = await runInProcess(['bench', '--runs', '--quiet'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/--runs/)
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
  })

  it('rejects an unknown command', async () => {
    const r = await runInProcess(['benhc'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/unknown command "benhc"/)
  })
})

describe('pyport bench --help', () => {
  it('teaches every option with examples', async () => {
    const r = await runInProcess(['bench', '--help'])
    expect(r.code).toBe(0)
    for (const flag of [
      '--suite',
      '--runs',
      '--warmup',
      '--python',
      '--limit',
      '--io-seconds',
      '--json',
      '--markdown',
      '--html',
      '--quiet',
    ]) {
      expect(r.stdout).toContain(flag)
    }
    expect(r.stdout).toMatch(/Examples:\n\s+pyport bench/)
  })

  it('lists the commands at the top level', async () => {
    const r = await runInProcess(['--help'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/bench\s+run a benchmark suite/)
  })
})

describe('--help after --', () => {
  it('belongs to the program, not to pyport', async () => {
    const r = await runInProcess(['bench', '--', '--help'])
    expect(r.code).toBe(2)
    expect(r.stdout).not.toMatch(/Usage: pyport bench/)
  })
})
