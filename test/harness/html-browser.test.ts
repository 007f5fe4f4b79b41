import { existsSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { chromium, type Browser, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { renderHtml } from '../../src/harness/reporters/html.js'
import { sampleReport } from './sample-report.js'

/** Debian's Chromium; playwright-core never downloads a browser. CI installs it (.ci/run). */
const CHROMIUM = '/usr/bin/chromium'
const SCREENSHOT = '/tmp/pyport-html.png'

describe('HTML report in headless Chromium', () => {
  let browser: Browser
  let page: Page
  let dir: string
  const consoleErrors: string[] = []

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium), as .ci/run does`)
    }
    dir = await mkdtemp(join(tmpdir(), 'pyport-html-'))
    const file = join(dir, 'report.html')
    await writeFile(file, renderHtml(sampleReport()))
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    })
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } })
    page.on('console', (msg) => {
      if (msg.type() === 'error') consoleErrors.push(msg.text())
    })
    page.on('pageerror', (err) => consoleErrors.push(err.message))
    await page.goto(pathToFileURL(file).href)
    await page.screenshot({ path: SCREENSHOT, fullPage: true })
  })

  afterAll(async () => {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- beforeAll may have failed before it set browser
    await browser?.close()
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  it('draws the scaling chart: a line per variant, the ideal dashed, whiskers, legend titles', async () => {
    const chart = page.locator('svg.scaling-chart')
    await expect(chart.isVisible()).resolves.toBe(true)
    expect(await chart.locator('g.variant polyline.series').count()).toBe(6)
    expect(await chart.locator('polyline.ideal-line').count()).toBe(1)
    expect(await chart.locator('polyline.ideal-line').evaluate('(el) => getComputedStyle(el).strokeDasharray')).not.toBe('none')
    expect(await chart.locator('g.variant .whisker').count()).toBe(18)
    const legend = await chart.locator('g.legend').textContent()
    expect(legend).toContain('Python, threads (GIL)')
    expect(legend).toContain('pyport worker pool <ts port>')
    expect(legend).toContain('ideal')
  })

  it('labels the axes with ticks and units', async () => {
    const y = await page.locator('svg.scaling-chart .y-axis .tick-label').allTextContents()
    expect(y.length).toBeGreaterThanOrEqual(2)
    expect(y.every((t) => /^\d+(\.\d+)? (ms|s|µs)$/.test(t))).toBe(true)
    const x = await page.locator('svg.scaling-chart .x-axis .tick-label').allTextContents()
    expect(x).toEqual(['5', '10', '20', '50', '100', '200', '500'])
    const bars = await page.locator('section[data-kind="cpu"] svg .x-axis .tick-label').allTextContents()
    expect(bars).toContain('1 ms')
    expect(bars).toContain('1 s')
  })

  it('draws CPU and I/O measurements on separate charts, each bar with a whisker', async () => {
    const cpu = page.locator('section[data-kind="cpu"] svg.bar-chart')
    const io = page.locator('section[data-kind="io"] svg.bar-chart')
    expect(await cpu.locator('g.bar-row').count()).toBe(3)
    expect(await io.locator('g.bar-row').count()).toBe(20)
    expect(await cpu.locator('g.bar-row[data-id="io.python"]').count()).toBe(0)
    expect(await cpu.locator('g.bar-row .whisker').count()).toBe(3)
  })

  it('shows the per-measurement notes and the unstable warning', async () => {
    await expect(page.getByText('pool warmed before timing').isVisible()).resolves.toBe(true)
    await expect(page.getByText('noisy neighbour: <one run> hit a busy core').isVisible()).resolves.toBe(true)
    const warning = page.locator('.warnings p', { hasText: 'cpu.ts' })
    await expect(warning.isVisible()).resolves.toBe(true)
    expect(await warning.textContent()).toMatch(/max\/min = 2\.5 over 3 runs — unstable/)
    await expect(page.locator('.warnings p', { hasText: 'agents.python.threads.500' }).isVisible()).resolves.toBe(true)
  })

  it('prints the per-point table with the model labelled as a model', async () => {
    expect(await page.locator('table.scaling tbody tr').count()).toBe(18)
    const text = await page.locator('section.scaling').textContent()
    expect(text).toContain('Amdahl model, not measured')
    expect(text).toContain('model @8 cores')
  })

  it('logs no console errors', () => {
    expect(consoleErrors).toEqual([])
  })
})
