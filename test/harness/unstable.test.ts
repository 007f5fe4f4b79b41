import { describe, expect, it } from 'vitest'
import type { ResultRow } from '../../src/harness/types.js'
import { describeUnstable, findUnstable } from '../../src/harness/unstable.js'

const row = (id: string, runs: number[]): ResultRow => ({
  id,
  lang: 'python',
  title: id,
  runs,
  median_s: runs[1] ?? runs[0] ?? 0,
  min_s: Math.min(...runs),
  max_s: Math.max(...runs),
})

describe('unstable measurements', () => {
  it('flags a measurement whose slowest run is more than 1.5 × its fastest', () => {
    const found = findUnstable([row('steady', [1, 1.2, 1.5]), row('agents.x', [1, 1.1, 2.3, 1.2, 1.3]), row('one', [3])])
    expect(found).toEqual([{ id: 'agents.x', maxOverMin: 2.3, runs: 5 }])
  })

  it('words the warning like hyperfine', () => {
    expect(describeUnstable({ id: 'agents.x', maxOverMin: 2.3, runs: 5 })).toBe(
      'warning: agents.x: max/min = 2.3 over 5 runs — unstable, the machine was busy or the measurement is noisy',
    )
  })

  it('ignores rows with a zero minimum (no ratio to take)', () => {
    expect(findUnstable([row('zero', [0, 1, 2])])).toEqual([])
  })
})
