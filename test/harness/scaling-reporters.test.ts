import { describe, expect, it } from 'vitest'
import { renderJson } from '../../src/harness/reporters/json.js'
import { renderMarkdown } from '../../src/harness/reporters/markdown.js'
import { renderTable } from '../../src/harness/reporters/table.js'
import { sampleReport } from './sample-report.js'

describe('scaling section in the text reporters', () => {
  const report = sampleReport()

  it('table: an aligned row per point, the two sentences, the model labelled, the unstable warnings', () => {
    const text = renderTable(report)
    const lines = text.split('\n')
    const header = lines.find((l) => l.startsWith('variant'))
    expect(header).toMatch(
      /variant\s+agents\s+median wall\s+agents\/s\s+p50\s+p99\s+CPU use\s+peak RSS\s+ideal\s+×ideal\s+model @4 cores\s+model @8 cores/,
    )
    expect(text).toMatch(
      /Python, threads \(GIL\)\s+500\s+2\.110 s\s+237\s+104 ms\s+116 ms\s+47 %\s+40 MB\s+175 ms\s+12\.1×\s+2\.100 s\s+2\.100 s/,
    )
    // columns line up: every row's "agents" cell ends where the header's does
    const start = lines.indexOf(header as string)
    const end = (header as string).indexOf('agents') + 'agents'.length
    for (const l of lines.slice(start + 2, start + 20)) expect(l.slice(0, end)).toMatch(/\d$/)
    expect(text).toContain('ideal: one 100 ms wait plus the fastest CPU per agent spread over 2 cores.')
    expect(text).toContain('model: Amdahl: serial CPU')
    expect(text).toContain('Amdahl model, not measured')
    expect(text).toContain('warning: cpu.ts: max/min = 2.5 over 3 runs — unstable, the machine was busy or the measurement is noisy')
    expect(text).toContain('warning: agents.python.threads.500: max/min = 2.5 over 3 runs')
  })

  it('markdown: a table of points with right-aligned numbers, the sentences, the warnings', () => {
    const md = renderMarkdown(report)
    expect(md).toContain(
      '| variant | agents | median wall | agents/s | p50 | p99 | CPU use | peak RSS | ideal | ×ideal | model @4 cores | model @8 cores |',
    )
    expect(md).toContain('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|')
    expect(md).toMatch(/\| TypeScript, all of it \| 500 \| 185 ms \| 2703 \|/)
    expect(md).toContain('- ideal: one 100 ms wait')
    expect(md).toContain('Amdahl model, not measured')
    expect(md).toContain('> ⚠️ warning: cpu.ts: max/min = 2.5 over 3 runs')
    expect(md).toContain('- note: `cpu.hybrid`: pool warmed before timing')
  })

  it('json: the scaling section as is', () => {
    expect(JSON.parse(renderJson(report)).scaling).toEqual(report.scaling)
  })

  it('no scaling section, no scaling table', () => {
    const { scaling: _, ...plain } = report
    expect(renderTable(plain)).not.toContain('scaling by')
    expect(renderMarkdown(plain)).not.toContain('Scaling by')
  })
})
