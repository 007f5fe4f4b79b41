import { describe, expect, it } from 'vitest'
import { resolveInterpreter } from '../../src/bridge/interpreter.js'
import { calibrate, sumPrimesKernel } from '../../src/profile/calibrate.js'
import { registerPythonToPortRoundTrip } from '../../src/profile/port-call-cost.js'

describe('calibrate', () => {
  it('the TypeScript kernel is the article algorithm (sum of primes below 200000 is 1709600813)', () => {
    expect(sumPrimesKernel(2, 200_000)).toBe(1709600813)
  })

  it('measures both figures against a real Python process, and lets options override either', async () => {
    const { path: python } = await resolveInterpreter()
    const m = await calibrate({ python, kernelLimit: 5000, roundTrips: 50 })
    expect(m.source).toEqual({ speedup: 'measured', bridgeUs: 'measured' })
    expect(m.speedup).toBeGreaterThan(0)
    expect(m.bridgeUs).toBeGreaterThan(0)
    expect(m.detail).toMatch(/primes below 5000 .*PythonBridge, median of 50 sequential calls, standing in for Python → port/)
    expect(m.bridgeKind).toBe('host-to-python')
    const mixed = await calibrate({ python, kernelLimit: 5000, roundTrips: 50, bridgeUs: 123 })
    expect(mixed).toMatchObject({ bridgeUs: 123, speedup: m.speedup, source: { bridgeUs: 'option', speedup: 'measured' } })
  })

  it('a broken interpreter rejects with the probe\'s error', async () => {
    await expect(calibrate({ python: '/bin/false', kernelLimit: 100 })).rejects.toThrow(/calibration probe exited early \(code 1\)/)
  })

  it('charges a registered Python → port round trip instead of the stand-in, and stops when it is removed', async () => {
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
      registerPythonToPortRoundTrip(undefined)
    }
    const back = await calibrate({ python, kernelLimit: 5000, roundTrips: 20 })
    expect(back.bridgeKind).toBe('host-to-python')
  })
})
