import { describe, expect, it } from 'vitest'
import { renderProfileTable } from '../../src/profile/table.js'
import { byName, profileFixture } from './helpers.js'

describe('time inside libraries, and import time', () => {
  it('a function whose CPU is inside a third-party package is not advised as a rewrite: the advice names the package', async () => {
    const { report, stdout } = await profileFixture({ script: 'report_agent.py' })
    expect(stdout).toContain('report ')
    // the package is not the user's code: none of its functions is a row
    expect(report.functions.filter((f) => f.file.includes('site-packages'))).toEqual([])
    const build = byName(report.functions, 'build_report')
    expect(build.selfCpuIn.packages['fakedoc'] ?? 0).toBeGreaterThan(0.8 * build.self.cpuS)
    const advice = byName(report.advice, 'build_report')
    expect(advice.verdict).toBe('library')
    expect(advice.library).toBe('fakedoc')
    expect(advice.reason).toMatch(
      /of its CPU is inside `fakedoc`, a third-party package: porting it means finding or writing a TypeScript equivalent of fakedoc/,
    )
    expect(report.advice.filter((a) => a.verdict === 'port').map((a) => a.name)).not.toContain('build_report')
  })

  it('module-level import time is reported as import time with the package named, never as code to move and port', async () => {
    const { report } = await profileFixture({ script: 'report_agent.py' })
    const mod = byName(report.functions, '<module>')
    expect(mod.selfCpuIn.importS).toBeGreaterThan(0.8 * mod.self.cpuS)
    expect(mod.imports[0]?.name).toBe('fakedoc')
    const advice = byName(report.advice, '<module>')
    expect(advice.verdict).toBe('import')
    expect(advice.reason).toMatch(/^import time, .* of CPU \(importing fakedoc [\d.]+ m?s of wall\): start-up cost, not code to port/)
    expect(advice.reason).not.toMatch(/move it into a function/)
    const table = renderProfileTable(report)
    expect(table).toMatch(/<module> .* import \d+ %/)
    expect(table).toMatch(/build_report .* fakedoc \d+ %/)
  })
})
