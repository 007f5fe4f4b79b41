import { mkdtempSync, readFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { execa } from 'execa'
import { describe, expect, it } from 'vitest'

const dist = fileURLToPath(new URL('../../dist/bench/bridge/', import.meta.url))
const tmp = () => path.join(mkdtempSync(path.join(os.tmpdir(), 'pyport-bench-scripts-')), 'out.json')

interface Check {
  name: string
  failures: number
}

describe('bench/bridge/at-most-once', () => {
  it('runs a small stress and its at-most-once checks pass: no duplicate, no not-started call ran, every resolved call ran once', async () => {
    const json = tmp()
    const run = await execa(process.execPath, [path.join(dist, 'at-most-once.js'), '--calls', '600', '--seed', '7', '--json', json], {
      reject: false,
      timeout: 120_000,
    })
    expect(run.stdout).toMatch(/checks:/)
    const report = JSON.parse(readFileSync(json, 'utf8')) as {
      calls: number
      ok: boolean
      checks: Check[]
      byOutcome: Record<string, { calls: number; ran0: number; ran1: number; ranMore: number }>
      interpreters: Record<'c1' | 'c4', { started: number; replaced: number; concurrency: number }>
      records: { id: number; result: string; ran: number }[]
    }
    const failures = (name: string) => report.checks.find((c) => c.name === name)?.failures
    expect(failures('no id ran twice')).toBe(0)
    expect(failures('no call that timed out while queued (inPython: not-started) ran')).toBe(0)
    expect(failures('every resolved call ran exactly once')).toBe(0)
    expect(failures('every resolved call got its own id back')).toBe(0)
    expect(failures('every call settled (none hung)')).toBe(0)
    expect(failures('every retired interpreter stopped once its last call ended (before close)')).toBe(0)
    expect(failures("no process of any interpreter's group is left after close")).toBe(0)
    expect(report.ok).toBe(true)
    expect(run.exitCode).toBe(0)
    // every call is accounted for once, and the mix happened
    expect(Object.values(report.byOutcome).reduce((a, b) => a + b.calls, 0)).toBe(600)
    expect(new Set(report.records.map((r) => r.id)).size).toBe(600)
    expect(report.byOutcome['resolved']!.calls).toBeGreaterThan(300)
    expect(report.byOutcome['timeout/not-started']!.calls).toBeGreaterThan(0)
    expect(report.interpreters.c1.concurrency).toBe(1)
    expect(report.interpreters.c4.concurrency).toBe(4)
    expect(report.interpreters.c1.started + report.interpreters.c4.started).toBeGreaterThan(2)
  })

  it('rejects a bad --calls', async () => {
    const run = await execa(process.execPath, [path.join(dist, 'at-most-once.js'), '--calls', 'x'], { reject: false, timeout: 30_000 })
    expect(run.exitCode).not.toBe(0)
    expect(run.stderr).toMatch(/--calls must be a whole number/)
  })
})

describe('bench/bridge/soak', () => {
  it('checks every answer and samples host and interpreter memory', async () => {
    const json = tmp()
    const run = await execa(process.execPath, ['--expose-gc', path.join(dist, 'soak.js'), '--calls', '12000', '--json', json], {
      reject: false,
      timeout: 120_000,
    })
    expect(run.exitCode).toBe(0)
    const report = JSON.parse(readFileSync(json, 'utf8')) as {
      calls: number
      wrongAnswers: number
      start: { pythonRssMb: number; pythonThreads: number }
      samples: unknown[]
    }
    expect(report.calls).toBe(12000)
    expect(report.wrongAnswers).toBe(0)
    expect(report.start.pythonRssMb).toBeGreaterThan(0)
    expect(report.start.pythonThreads).toBeGreaterThan(0)
    expect(report.samples.length).toBe(2)
  })
})
