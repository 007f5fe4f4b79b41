import { afterEach, describe, expect, it } from 'vitest'
import { suites } from '../../bench/suites.js'
import type { Suite } from '../../src/harness/types.js'
import { runInProcess } from './helpers.js'

function suiteWithCheck(ok: boolean): Suite {
  return {
    name: 'checked',
    summary: 'a suite whose only check passes or fails on demand',
    async run() {
      return {
        measurements: [{ id: 'x.ts', lang: 'ts', title: 'x' }],
        samples: { 'x.ts': [{ seconds: 0.001, sum: ok ? 5 : 4 }] },
        ratios: [],
        checks: [{ name: 'x.ts sum', ok, detail: ok ? '5 as expected' : "got 4, Python's is 5" }],
        settings: {},
        notes: [],
      }
    },
  }
}

afterEach(() => {
  delete suites['checked']
})

describe('pyport bench exit code follows the suite checks', () => {
  it('exits 1 and names the failed check when a result is wrong', async () => {
    const suite = suiteWithCheck(false)
    suites['checked'] = { summary: suite.summary, load: async () => suite }
    const r = await runInProcess(['bench', '--suite', 'checked', '--runs', '1'])
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/FAIL x\.ts sum: got 4, Python's is 5/)
    expect(r.stderr).toMatch(/pyport bench: 1 check\(s\) failed: x\.ts sum/)
  })

  it('exits 0 when every check passes', async () => {
    const suite = suiteWithCheck(true)
    suites['checked'] = { summary: suite.summary, load: async () => suite }
    const r = await runInProcess(['bench', '--suite', 'checked', '--runs', '1', '--quiet'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/ok {3}x\.ts sum: 5 as expected/)
  })
})
