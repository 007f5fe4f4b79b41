import { describe, expect, it } from 'vitest'
import { buildReport } from '../../src/harness/report.js'
import { renderHtml } from '../../src/harness/reporters/html.js'
import { renderMarkdown } from '../../src/harness/reporters/markdown.js'
import { renderTable } from '../../src/harness/reporters/table.js'
import type { SuiteOutput } from '../../src/harness/types.js'

const machine = { cpus: 2, cpuModel: 'Test <CPU> & co', node: 'v20.0.0', python: '3.11.7', platform: 'linux' }
const out: SuiteOutput = {
  measurements: [
    { id: 'x.python', lang: 'python', title: 'Python <slow>' },
    { id: 'x.ts', lang: 'ts', title: 'TypeScript "fast"' },
  ],
  samples: {
    'x.python': [{ seconds: 2 }, { seconds: 2.2 }, { seconds: 1.8 }],
    'x.ts': [{ seconds: 0.1 }, { seconds: 0.1 }, { seconds: 0.09 }],
  },
  ratios: [{ of: 'x.ts', vs: 'x.python' }],
  checks: [{ name: 'sum', ok: false, detail: 'got 1, expected 2' }],
  settings: { runs: 3 },
  notes: ['a <note>'],
}

describe('reporters', () => {
  const report = buildReport('demo', machine, out)

  it('builds medians, spreads and paired ratios from raw samples', () => {
    expect(report.results[0]).toMatchObject({ id: 'x.python', median_s: 2, min_s: 1.8, max_s: 2.2, runs: [2, 2.2, 1.8] })
    expect(report.ratios[0]).toMatchObject({ of: 'x.ts', vs: 'x.python', median: 20, min: 20, max: 22 })
  })

  it('refuses a ratio that names an unknown measurement', () => {
    expect(() => buildReport('demo', machine, { ...out, ratios: [{ of: 'x.ts', vs: 'nope' }] })).toThrow(/unknown measurement/)
  })

  it('table: one row per measurement, the ratio in words, failed checks marked', () => {
    const text = renderTable(report)
    expect(text).toMatch(/Python <slow>\s+x\.python\s+2\.000 s\s+1\.800 s\s+2\.200 s/)
    expect(text).toMatch(/x\.ts\s+20\.0 ± [\d.]+ × faster than x\.python/)
    expect(text).toMatch(/FAIL sum: got 1, expected 2/)
  })

  it('a ratio whose paired runs disagree reads "within noise of" in the table, markdown and html; others read naturally', () => {
    const noisy = buildReport('demo', machine, {
      ...out,
      measurements: [...out.measurements, { id: 'x.shadow', lang: 'python', title: 'shadow' }],
      // shadow ran a little faster than python mode in two runs of three: noise, shadow cannot make Python faster
      samples: { ...out.samples, 'x.shadow': [{ seconds: 1.96 }, { seconds: 2.3 }, { seconds: 1.75 }] },
      ratios: [
        { of: 'x.ts', vs: 'x.python' },
        { of: 'x.python', vs: 'x.shadow' },
        { of: 'x.shadow', vs: 'x.ts' },
      ],
    })
    const table = renderTable(noisy)
    expect(table).toMatch(/x\.ts\s+20\.0 ± [\d.]+ × faster than x\.python  \(paired runs 20\.00–22\.00\)/)
    expect(table).toMatch(/x\.python\s+within noise of x\.shadow  \(median 1\.02 ± [\d.]+ × slower; paired runs 0\.96–1\.03\)/)
    expect(table).toMatch(/x\.shadow\s+19\.6 ± [\d.]+ × slower than x\.ts  \(paired runs 19\.44–23\.00\)/)
    const md = renderMarkdown(noisy)
    expect(md).toContain('| `x.python` | within noise of | `x.shadow` | median 1.02 ± ')
    expect(md).toMatch(/\| `x\.ts` \| 20\.0 ± [\d.]+ × faster than \| `x\.python` \| paired runs 20\.00–22\.00 \|/)
    expect(renderHtml(noisy)).toMatch(/<code>x\.python<\/code> within noise of <code>x\.shadow<\/code> <span class="dim">\(median 1\.02/)
    for (const text of [table, md]) expect(text).not.toMatch(/faster than[^\n]*paired runs 0\.|slower than[^\n]*paired runs 0\./)
  })

  it('markdown: a table row per measurement', () => {
    expect(renderMarkdown(report)).toMatch(/\| TypeScript "fast" \| `x\.ts` \| 100 ms \| 90\.0 ms \| 100 ms \|/)
  })

  it('html: a self-contained page with every measurement, text escaped, no scripts', () => {
    const html = renderHtml(report)
    expect(html).toMatch(/^<!doctype html>/)
    expect(html).toContain('Python &lt;slow&gt;')
    expect(html).toContain('TypeScript &quot;fast&quot;')
    expect(html).toContain('Test &lt;CPU&gt; &amp; co')
    expect(html).toContain('a &lt;note&gt;')
    expect(html).not.toMatch(/<script|<link|src=/)
    expect(html).toMatch(/<li class="fail">✘ <b>sum<\/b>/)
    // the slower measurement gets the longer bar
    const widths = [...html.matchAll(/<rect class="bar" [^>]*width="([\d.]+)"/g)].map((m) => Number(m[1]))
    expect(widths).toHaveLength(2)
    expect(widths[0]).toBeGreaterThan(widths[1] as number)
  })

  it('html: a 0 s measurement and an empty scaling section do not break the page', () => {
    const zero = buildReport('demo', machine, { ...out, samples: { 'x.python': [{ seconds: 0 }], 'x.ts': [{ seconds: 0 }] }, ratios: [] })
    expect(renderHtml(zero)).toMatch(/<rect class="bar" [^>]*width="1\.0"/)
    const scaling = { xLabel: 'agents', variants: [], points: [], ideal: [], idealRule: 'r', model: 'm' }
    expect(renderHtml({ ...report, scaling })).not.toContain('<svg class="chart scaling-chart"')
  })
})
