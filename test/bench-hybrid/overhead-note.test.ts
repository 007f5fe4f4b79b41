import { describe, expect, it } from 'vitest'
import { shadowOverheadNote } from '../../bench/hybrid/suite.js'

describe("the hybrid suite's shadow overhead note", () => {
  it('states a positive overhead as a percentage against the target', () => {
    const note = shadowOverheadNote(0.031, 0.05)
    expect(note).toMatch(
      /^Shadow overhead on the caller \(median shadow \/ median python - 1\): 3\.1 % \(target <= 10 %: met in this run\)\. /,
    )
    expect(note).toContain('python mode alone spread 5 %')
    expect(shadowOverheadNote(0.2, 0.05)).toContain('NOT met')
  })

  it('says a shadow median below python mode is noise, never a negative overhead', () => {
    const note = shadowOverheadNote(-0.012, 0.05)
    expect(note).toMatch(
      /^Shadow overhead on the caller: none measured \(shadow's median came out 1\.2 % below python mode's, which is noise: shadow cannot make Python faster\) \(target <= 10 %: met in this run\)/,
    )
    expect(note).not.toMatch(/-\d/)
  })
})
