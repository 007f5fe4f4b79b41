import { describe, expect, it } from 'vitest'
import { portUnitName, reachableByName } from '../../src/profile/nesting.js'
import { renderProfileTable } from '../../src/profile/table.js'
import { byName, fixtures, profileFixture } from './helpers.js'

describe('which function a port of a nested one replaces', () => {
  it.each([
    ['fuzzy_match', 'fuzzy_match'],
    ['Ranker.score', 'Ranker.score'],
    ['fuzzy_match.<locals>.<lambda>', 'fuzzy_match'],
    ['Ranker.score.<locals>.helper', 'Ranker.score'],
    ['main.<locals>.Worker.run', 'main'],
    ['outer.<locals>.inner.<locals>.<lambda>', 'outer'],
    ['<lambda>', null],
    ['Config.<lambda>', null],
    ['<lambda>.<locals>.<lambda>', null],
  ])('%s → %s', (qualname, unit) => {
    expect(portUnitName(qualname)).toBe(unit)
    expect(reachableByName(qualname)).toBe(unit === qualname)
  })
})

describe('lambdas and closures are listed under the function they live in', () => {
  it('a key= lambda and a closure are never advised as ports; the functions defining them are, with their time', async () => {
    const { report } = await profileFixture({ script: 'fuzzy.py' })
    const lambda = byName(report.advice, 'fuzzy_match.<locals>.<lambda>')
    expect(lambda).toMatchObject({ verdict: 'port-enclosing', portEnclosing: 'fuzzy_match', savedS: 0 })
    expect(lambda.reason).toMatch(
      /^a lambda defined in `fuzzy_match` \(.* of CPU\): it cannot be ported on its own — judged with `fuzzy_match`$/,
    )
    expect(byName(report.advice, 'rank.<locals>.score')).toMatchObject({ verdict: 'port-enclosing', portEnclosing: 'rank' })
    const fuzzy = byName(report.advice, 'fuzzy_match')
    expect(fuzzy).toMatchObject({ verdict: 'port', inner: ['fuzzy_match.<locals>.<lambda>'] })
    expect(fuzzy.reason).toMatch(/\(with `<lambda>` defined inside it\): port it/)
    // the lambda's CPU is what makes fuzzy_match worth porting: its own self CPU is ~0
    const lambdaCpu = byName(report.functions, 'fuzzy_match.<locals>.<lambda>').self.cpuS
    expect(fuzzy.savedS).toBeGreaterThan(0.5 * lambdaCpu)
    expect(report.advice.find((a) => a.verdict === 'port')?.name).not.toMatch(/<locals>/)
    const table = renderProfileTable(report, 10, fixtures.replace(/\/$/, ''))
    expect(table).toMatch(/\n\d+ {2}fuzzy_match {2}fuzzy\.py:4 [^\n]*\n[^\n]*\n[^\n]*\n +└ fuzzy_match\.<locals>\.<lambda> {2}fuzzy\.py:6/)
  })
})
