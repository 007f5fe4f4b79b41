import { appendFileSync, mkdtempSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { hybrid } from '../../src/hybrid/hybrid.js'
import { cli } from './cli-io.js'

const tmp = mkdtempSync(path.join(os.tmpdir(), 'pyport-report-'))
const pyRound = async (x: number) => Math.round(x / 2) * 2 // stands in for Python's round-half-even on halves
const jsRound = async (x: number) => Math.round(x)

describe('pyport report', () => {
  it('summarises shadow records per function: counts, latency, verdict and the first mismatches', async () => {
    const file = path.join(tmp, 'shadow.jsonl')
    const ok = hybrid({ name: 'square', mode: 'shadow', record: file, python: async (x: number) => x * x, ts: async (x: number) => x * x })
    const off = hybrid({ name: 'roundish', mode: 'shadow', record: file, python: pyRound, ts: jsRound })
    for (let i = 0; i < 5; i++) await ok(i)
    for (const x of [2, 3, 4]) await off(x)
    await ok.close()
    await off.close()
    const r = await cli(['report', file, '--ready-after', '5'])
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/^square\n  calls 5, compared 5: 5 matched, 0 mismatched/m)
    expect(r.stdout).toMatch(/verdict: ready to switch: 5 matched calls, no mismatches/)
    expect(r.stdout).toMatch(/^roundish\n  calls 3, compared 3: 2 matched, 1 mismatched/m)
    expect(r.stdout).toMatch(/python {2}p50 [\d.]+ ms, p99 [\d.]+ ms \(3 calls\)/)
    expect(r.stdout).toMatch(/speed-up \(p50 python \/ p50 port\): [\d.]+×/)
    expect(r.stdout).toMatch(/mismatch at .*shadow\.jsonl:\d+: args \[3\]\n\s+\$: python 4, port 3/)
  })

  it('passes (exit 0) on matching records and counts python-mode records as calls, not comparisons', async () => {
    const file = path.join(tmp, 'python.jsonl')
    const fn = hybrid({ name: 'square', mode: 'python', record: file, python: async (x: number) => x * x, ts: async (x: number) => x })
    await fn(3)
    await fn.close()
    const r = await cli(['report', file])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/calls 1, compared 0/)
    expect(r.stdout).toMatch(/not ready yet: 0 of 100/)
  })

  it('names corrupt lines, still summarises the rest, and writes --json', async () => {
    const file = path.join(tmp, 'corrupt.jsonl')
    const fn = hybrid({ name: 'square', mode: 'shadow', record: file, python: async (x: number) => x * x, ts: async (x: number) => x * x })
    await fn(2)
    await fn.close()
    appendFileSync(file, '{"v":1,"name":"square","args":[2],"python":{"ok":true,"value":4,"ms":1},"outcome":"maybe"}\n{"v":1,"na')
    const r = await cli(['report', file, '--json', '-'])
    expect(r.code).toBe(1)
    const summary = JSON.parse(r.stdout)
    expect(summary.reports[0]).toMatchObject({ name: 'square', matches: 1 })
    expect(summary.badLines).toEqual([
      { file, line: 2, message: expect.stringMatching(/unknown outcome "maybe"/) },
      { file, line: 3, message: expect.stringMatching(/not valid JSON/) },
    ])
  })

  it('bad usage and unreadable files are clear errors', async () => {
    expect((await cli(['report'])).stderr).toMatch(/give at least one record file/)
    expect((await cli(['report', 'x.jsonl', '--ready-after', '0'])).code).toBe(2)
    const missing = await cli(['report', path.join(tmp, 'none.jsonl')])
    expect([missing.code, missing.stderr]).toEqual([1, expect.stringMatching(/none\.jsonl cannot be read/)])
    expect((await cli(['report', tmp])).stderr).toMatch(/not a regular file/)
  })
})
