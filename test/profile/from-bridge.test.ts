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
