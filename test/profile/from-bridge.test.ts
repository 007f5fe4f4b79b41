import { afterEach, describe, expect, it } from 'vitest'
import { PythonBridge } from '../../src/bridge/bridge.js'
import { profileFromStats } from '../../src/profile/from-stats.js'
import { fixture } from './helpers.js'

let py: PythonBridge | undefined
afterEach(async () => {
  await py?.close()
  py = undefined
})

describe('profileFromStats on a real PythonBridge', () => {
  it('reads what py.stats() returns, as is and after a JSON round trip', async () => {
    py = new PythonBridge({ forwardStderr: false })
    const mod = await py.import(fixture('modpkg/work.py'))
    for (let i = 0; i < 3; i++) await mod.call('compute', [1000])
    const stats = py.stats()
    for (const input of [stats, JSON.parse(JSON.stringify(stats)) as unknown]) {
      const report = await profileFromStats(input, { speedup: 20, bridgeUs: 100 })
      const row = report.functions.find((f) => f.name.endsWith('compute'))
      expect(row).toMatchObject({ calls: 3, errors: 0, timeouts: 0 })
      expect(row?.totalMs).toBeGreaterThan(0)
      expect(row?.savedS).toBeGreaterThan(0)
    }
  })
})

describe('profileFromStats: queueing seen by a real PythonBridge', () => {
  it('concurrent calls beyond `concurrency` are reported as queueing, and a map() is not told to batch', async () => {
    py = new PythonBridge({ forwardStderr: false, concurrency: 1 })
    const mod = await py.import(fixture('bridge_calls.py'))
    await Promise.all(Array.from({ length: 6 }, () => mod.call('wait_api', [40])))
    await mod.map(
      'double',
      Array.from({ length: 300 }, (_, i) => [i]),
    )
    const report = await profileFromStats(JSON.parse(JSON.stringify(py.stats())), { speedup: 20, bridgeUs: 200 })
    const wait = report.functions.find((f) => f.name.endsWith('wait_api'))
    // each call waits for the ones before it: 0 + 40 + … + 200 ms in line against 240 ms of work
    expect(wait?.queuedShare).toBeGreaterThan(0.5)
    expect(wait?.reason).toMatch(/waiting in line for a free Python thread \(concurrency 1\): raise `concurrency`/)
    const double = report.functions.find((f) => f.name.endsWith('double'))
    expect(double).toMatchObject({ calls: 1, items: 300 })
    expect(double?.reason).not.toMatch(/batch the calls with map/)
  })
})
