import { performance } from 'node:perf_hooks'
import { PythonBridge } from '../bridge/bridge.js'
import { pythonFile } from '../paths.js'

/**
 * Median microseconds of one sequential call through a real PythonBridge (a trivial function, after a warm-up),
 * the figure the advisor charges per call. The bridge is always closed, whatever happens.
 */
export async function probeBridgeUs(python: string, calls: number): Promise<number> {
  const py = new PythonBridge({ python, timeoutMs: 10_000, forwardStderr: false })
  try {
    const mod = await py.import(pythonFile('pyport', 'profile', 'echo.py'))
    for (let i = 0; i < 20; i++) await mod.call('echo', [i])
    const times: number[] = []
    for (let i = 0; i < calls; i++) {
      const t0 = performance.now()
      await mod.call('echo', [i])
      times.push(performance.now() - t0)
    }
    times.sort((a, b) => a - b)
    return (times[Math.floor(times.length / 2)] ?? 0) * 1000
  } finally {
    await py.close()
  }
}
