import { mkdtemp, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runPyport } from './helpers.js'

const QUICK = ['bench', '--limit', '20000', '--runs', '1', '--io-seconds', '0.05']
const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/article/${name}`, import.meta.url))

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'pyport-bench-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

const IDS = [
  'cpu.python.single',
  'cpu.python.threads2',
  'cpu.ts.single',
  'cpu.ts.threads2',
  'cpu.ts.pool',
  'io.python.sequential',
  'io.python.threads2',
  'io.ts.sequential',
  'io.ts.concurrent',
  'io.ts.agents500',
]

describe('pyport bench --suite article, end to end', () => {
  it('writes JSON of the contract, a table and markdown, with checked sums', async () => {
    const json = path.join(dir, 'bench.json')
    const md = path.join(dir, 'bench.md')
    const html = path.join(dir, 'bench.html')
    const r = await runPyport([...QUICK, '--json', json, '--markdown', md, '--html', html])
    expect(r.stderr).toMatch(/run 1\/1: cpu_perf\.py/) // progress
    expect(r.exitCode).toBe(0)

    const report = JSON.parse(await readFile(json, 'utf8'))
    expect(report.suite).toBe('article')
    expect(report.machine).toMatchObject({ cpus: expect.any(Number), cpuModel: expect.any(String), node: process.version })
    expect(report.machine.python).toMatch(/^3\.\d+\.\d+$/)
    expect(report.results.map((x: { id: string }) => x.id)).toEqual(IDS)
    for (const row of report.results) {
      expect(row.lang).toBe(row.id.includes('.python.') ? 'python' : 'ts')
      expect(row.runs).toHaveLength(1)
      expect(row.median_s).toBeGreaterThan(0)
      expect(row.min_s).toBeLessThanOrEqual(row.median_s)
      expect(row.max_s).toBeGreaterThanOrEqual(row.median_s)
    }
    const sums = report.results.filter((x: { id: string }) => x.id.startsWith('cpu.')).map((x: { sum: number }) => x.sum)
    expect(new Set(sums).size).toBe(1) // every TS sum equals the Python one
    expect(sums[0]).toBe(21171191)
    expect(report.ratios).toContainEqual(
      expect.objectContaining({
        of: 'cpu.ts.single',
        vs: 'cpu.python.single',
        median: expect.any(Number),
        min: expect.any(Number),
        max: expect.any(Number),
      }),
    )
    expect(report.checks.every((c: { ok: boolean }) => c.ok)).toBe(true)

    expect(r.stdout).toMatch(/cpu\.ts\.single\s+[\d.]+ ± [\d.]+ × (faster|slower) than cpu\.python\.single/)
    expect(r.stdout).toMatch(/machine: .+, \d+ cores · Node v20/)
    expect(await readFile(html, 'utf8')).toMatch(/<code>cpu\.ts\.pool<\/code>/)
    expect(await readFile(md, 'utf8')).toMatch(/\| Python, 1 thread \(cpu_perf\.py\) \| `cpu\.python\.single` \|/)
  })

  it('prints JSON alone on stdout with --json -', async () => {
    const r = await runPyport([...QUICK, '--warmup', '0', '--json', '-', '--quiet'])
    expect(r.exitCode).toBe(0)
    expect(r.stderr).toBe('')
    expect(JSON.parse(r.stdout).suite).toBe('article')
  })
})

describe('pyport bench: failed runs exit 1 with a clear line', () => {
  it('names an interpreter that does not exist', async () => {
    const r = await runPyport([...QUICK, '--python', '/nonexistent/python3'])
    expect(r.exitCode).toBe(1)
    expect(r.stderr).toMatch(/Python interpreter "\/nonexistent\/python3" \(from the `python` option\) does not exist/)
    expect(r.stderr).toMatch(/PYPORT_PYTHON/)
  })

  it('says when PYPORT_PYTHON names a missing command', async () => {
    const r = await runPyport(QUICK, { PYPORT_PYTHON: 'python-does-not-exist' })
    expect(r.exitCode).toBe(1)
    expect(r.stderr).toMatch(/"python-does-not-exist" \(from PYPORT_PYTHON\) was not found on PATH/)
  })

  it('says when the interpreter exists but cannot run', async () => {
    const r = await runPyport([...QUICK, '--python', fixture('broken-python.sh')])
    expect(r.exitCode).toBe(1)
    expect(r.stderr).toMatch(/could not run/)
  })

  it('reports a crashing script with its exit code and stderr tail', async () => {
    const r = await runPyport([...QUICK, '--python', fixture('misbehaving-python.sh')], { FAKE_PYTHON_MODE: 'crash' })
    expect(r.exitCode).toBe(1)
    expect(r.stderr).toMatch(/cpu_perf\.py exited with code 1/)
    expect(r.stderr).toMatch(/ZeroDivisionError: division by zero/)
  })

  it('says the workload is too small when a script prints 0.0000 s', async () => {
    const r = await runPyport([...QUICK, '--python', fixture('misbehaving-python.sh')], { FAKE_PYTHON_MODE: 'zero' })
    expect(r.exitCode).toBe(1)
    expect(r.stderr).toMatch(/cpu\.python\.single measured 0 s .* too small to time .* Use a larger --limit/)
  })

  it('names the script and line when the output is unexpected', async () => {
    const r = await runPyport([...QUICK, '--python', fixture('misbehaving-python.sh')], { FAKE_PYTHON_MODE: 'garbage' })
    expect(r.exitCode).toBe(1)
    expect(r.stderr).toMatch(/cpu_perf\.py: line 2 is "hello from a modified script", expected a line like "Multi-threaded/)
  })
})
