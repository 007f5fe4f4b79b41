import { describe, expect, it } from 'vitest'
import { resolveInterpreter } from '../../src/bridge/interpreter.js'
import { calibrate, sumPrimesKernel } from '../../src/profile/calibrate.js'
import { registerPythonToPortRoundTrip } from '../../src/profile/port-call-cost.js'
import { probePythonToPortUs } from '../../src/profile/port-probe.js'

describe('calibrate', () => {
  it('the TypeScript kernel is the article algorithm (sum of primes below 200000 is 1709600813)', () => {
    expect(sumPrimesKernel(2, 200_000)).toBe(1709600813)
  })

  it('measures both figures against a real Python process: the per-call cost is a real Python → port round trip (@port)', async () => {
    const { path: python } = await resolveInterpreter()
    const m = await calibrate({ python, kernelLimit: 5000, roundTrips: 50 })
    expect(m.source).toEqual({ speedup: 'measured', bridgeUs: 'measured' })
    expect(m.speedup).toBeGreaterThan(0)
    expect(m.bridgeUs).toBeGreaterThan(0)
    expect(m.detail).toMatch(/primes below 5000 .*Python → TypeScript port round trip, median of 50 sequential calls/)
    expect(m.bridgeKind).toBe('python-to-port')
    const mixed = await calibrate({ python, kernelLimit: 5000, roundTrips: 50, bridgeUs: 123 })
    expect(mixed).toMatchObject({ bridgeUs: 123, speedup: m.speedup, source: { bridgeUs: 'option', speedup: 'measured' } })
  })

  it('without a Python → port probe, charges a host → Python call as a stand-in, and says so', async () => {
    const { path: python } = await resolveInterpreter()
    registerPythonToPortRoundTrip(undefined)
    try {
      const m = await calibrate({ python, kernelLimit: 5000, roundTrips: 50 })
      expect(m.detail).toMatch(/PythonBridge, median of 50 sequential calls, standing in for Python → port/)
      expect(m.bridgeKind).toBe('host-to-python')
    } finally {
      registerPythonToPortRoundTrip(probePythonToPortUs)
    }
  })

  it("a broken interpreter rejects with the probe's error", async () => {
    await expect(calibrate({ python: '/bin/false', kernelLimit: 100 })).rejects.toThrow(/calibration probe exited early \(code 1\)/)
  })

  it('charges a registered Python → port probe instead of the default one, and the default one again once it is replaced', async () => {
    const { path: python } = await resolveInterpreter()
    const calls: number[] = []
    registerPythonToPortRoundTrip(async (_python, n) => {
      calls.push(n)
      return 42
    })
    try {
      const m = await calibrate({ python, kernelLimit: 5000, roundTrips: 20 })
      expect(m).toMatchObject({ bridgeUs: 42, bridgeKind: 'python-to-port' })
      expect(m.detail).toMatch(/Python → TypeScript port round trip, median of 20 sequential calls/)
      expect(calls).toEqual([20])
    } finally {
      registerPythonToPortRoundTrip(probePythonToPortUs)
    }
    const back = await calibrate({ python, kernelLimit: 5000, roundTrips: 20 })
    expect(back.bridgeKind).toBe('python-to-port')
  })
})
