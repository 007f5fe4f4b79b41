import { describe, expect, it } from 'vitest'
import { renderProfileTable } from '../../src/profile/table.js'
import { byName, profileFixture } from './helpers.js'

const share = (part: number, whole: number) => (whole > 0 ? part / whole : 0)

describe('I/O wait and GIL wait, from what each thread is doing', () => {
  it('a thread sleeping on an "API call" while another computes is I/O-bound, not waiting for the GIL', async () => {
    const { report } = await profileFixture({ script: 'threaded_agent.py' })
    const api = byName(report.functions, 'call_api')
    expect(api.class).toBe('io')
    expect(report.totals.waitMethod).toBe(process.platform === 'linux' ? 'proc' : 'timing')
    expect(share(api.self.ioS, api.self.wallS)).toBeGreaterThan(0.9)
    expect(share(api.self.gilS, api.self.wallS)).toBeLessThan(0.1)
    expect(byName(report.advice, 'call_api').verdict).toBe('io-bound')
    expect(byName(report.functions, 'plan').class).toBe('cpu')
  })

  it('a thread blocked in join() waits on other threads: I/O wait, said to be on other threads; a sleep is not', async () => {
    const { report } = await profileFixture({ script: 'threaded_agent.py' })
    const main = byName(report.functions, 'main')
    expect(main.class).toBe('io')
    expect(main.self.lockS).toBeGreaterThan(0.8 * main.self.ioS)
    expect(byName(report.advice, 'main').reason).toMatch(
      /^waits on other threads or tasks \(join\(\), a lock, a queue, gather\(\)\) \d+ % of its time: porting it will not help/,
    )
    const api = byName(report.functions, 'call_api')
    expect(api.self.lockS).toBeLessThan(0.1 * api.self.ioS)
    expect(byName(report.advice, 'call_api').reason).toMatch(/^waits on I\/O /)
  })

  it('two threads computing at once wait for the GIL, and the table shows it in its own column', async () => {
    const { report } = await profileFixture({ script: 'threads.py' })
    const crunch = byName(report.functions, 'crunch')
    // each of the two threads holds the GIL about half the time it runs; the rest it waits for it
    expect(share(crunch.self.gilS, crunch.self.cpuS + crunch.self.gilS)).toBeGreaterThan(0.25)
    expect(share(crunch.self.ioS, crunch.self.wallS)).toBeLessThan(0.1)
    const table = renderProfileTable(report)
    expect(table).toMatch(/self CPU +%CPU +CPU in +GIL wait +I\/O wait +cum wall +class/)
    const gilShown = `${Math.round((crunch.self.gilS / crunch.self.wallS) * 100)} %`
    expect(table).toMatch(new RegExp(`crunch .* ${gilShown} +\\S+ %`))
  })

  it('the portable fallback (no /proc) still calls a long sleep I/O', async () => {
    const { report } = await profileFixture({ script: 'threaded_agent.py' }, { env: { PYPORT_PROFILE_WAITS: 'timing' } })
    expect(report.totals.waitMethod).toBe('timing')
    expect(byName(report.functions, 'call_api').class).toBe('io')
    expect(byName(report.functions, 'plan').class).toBe('cpu')
  })
})
