import { existsSync, mkdtempSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { chromium } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import type { BenchReport } from '../../src/harness/types.js'
import { runInProcess, runPyport } from '../cli/helpers.js'

const variants = ['python.threads', 'python.asyncio', 'python.processes', 'pyport.pool', 'pyport.hybrid', 'ts']

describe('pyport bench --suite agents', () => {
  it('runs every variant at every size, checks their answers agree, and reports the scaling figures', async () => {
    const html = path.join(mkdtempSync(path.join(os.tmpdir(), 'pyport-agents-')), 'agents.html')
    const r = await runPyport([
      'bench',
      '--suite',
      'agents',
      '--agents',
      '4,2',
      '--steps',
      '2',
      '--io-seconds',
      '0.05',
      '--think-ms',
      '5',
      '--runs',
      '2',
      '--quiet',
      '--json',
      '-',
      '--html',
      html,
    ])
    expect(r.stderr).toBe('')
    expect(r.exitCode).toBe(0)
    const report = JSON.parse(r.stdout) as BenchReport
    expect(report.results.map((x) => x.id)).toEqual([2, 4].flatMap((n) => variants.map((v) => `agents.${v}.${n}`)))
    expect(report.settings).toMatchObject({ agents: '2,4', steps: 2, ioSeconds: 0.05, thinkMs: 5, runs: 2 })
    expect(report.checks.map((c) => [c.name, c.ok])).toEqual([
      ["every variant's answers agree at 2 agents", true],
      ["every variant's answers agree at 4 agents", true],
    ])
    // the same answers, hence the same digest, whichever variant computed them
    for (const n of [2, 4]) expect(new Set(report.results.filter((x) => x.id.endsWith(`.${n}`)).map((x) => x.sum)).size).toBe(1)
    const scaling = report.scaling!
    expect(scaling.variants.map((v) => v.id)).toEqual(variants)
    expect(scaling.points).toHaveLength(12)
    expect(scaling.ideal.map((i) => i.x)).toEqual([2, 4])
    for (const p of scaling.points) {
      // every agent waits 2 steps x at least 0.025 s: no run can beat that
      expect(p.wall.median_s).toBeGreaterThan(0.05)
      expect(p.xIdeal).toBeGreaterThan(0.9)
      expect(p.p99_s).toBeGreaterThanOrEqual(p.p50_s)
      // /proc counts CPU in 10 ms ticks: 4 agents x 2 thinks x 5 ms is enough to be seen
      if (p.x === 4) expect(p.cpuUtil, p.id).toBeGreaterThan(0)
      expect(p.peakRssMB).toBeGreaterThan(5)
      expect(p.predicted.map((x) => x.cores)).toEqual([16, 64])
      expect(p.serialCpuS + p.parallelCpuS).toBeGreaterThan(0)
    }
    // node roots carry more memory than one Python interpreter
    const rss = (v: string) => scaling.points.find((p) => p.variant === v && p.x === 4)!.peakRssMB
    expect(rss('ts')).toBeGreaterThan(rss('python.asyncio'))

    // the page of this very run, in Debian's Chromium: the scaling chart, a line per variant and the ideal, no errors
    expect(existsSync('/usr/bin/chromium'), "Debian's chromium is needed (apt-get install -y chromium, as .ci/run does)").toBe(true)
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    })
    try {
      const page = await browser.newPage()
      const errors: string[] = []
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()))
      page.on('pageerror', (e) => errors.push(e.message))
      await page.goto(pathToFileURL(html).href)
      const chart = page.locator('svg.scaling-chart')
      expect(await chart.locator('g.variant polyline.series').count()).toBe(6)
      expect(await chart.locator('polyline.ideal-line').count()).toBe(1)
      expect(await chart.locator('.x-axis .tick-label').allTextContents()).toContain('2')
      expect(await chart.locator('g.legend').textContent()).toContain('pyport.hybrid')
      expect(errors).toEqual([])
    } finally {
      await browser.close()
    }
  })

  it.each([
    [['--agents', '5,x'], /--agents expects agent counts from 1 to 10000, comma-separated, got "5,x"/],
    [['--agents', '0'], /--agents expects agent counts from 1 to 10000/],
    [['--agents', '5,5'], /--agents names a count twice: "5,5"/],
    [['--steps', '0'], /--steps expects a whole number >= 1, got 0/],
    [['--think-ms', '-1'], /^pyport bench: --think-ms expects a number > 0 and <= 1000, got "-1"\. Example: --think-ms 2\.\n/],
    [['--think-ms=0'], /--think-ms expects a number > 0/],
  ])('bad usage %j exits 2 with one line', async (args, message) => {
    const r = await runInProcess(['bench', '--suite', 'agents', ...args])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(message)
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
  })
})
