import { PythonBridge } from '../bridge/bridge.js'
import path from 'node:path'
import { packageRoot, pythonFile } from '../paths.js'
import { WorkerPool } from '../workers/worker-pool.js'

const PORT = 'pyport_calibration_echo'

/**
 * Median microseconds of one Python → TypeScript port round trip: a function decorated with @port, called
 * sequentially from Python, served in ts mode by a one-thread WorkerPool whose port returns its argument. This is
 * how a ported function is called once Python keeps calling it. The bridge and the pool are always closed.
 */
export async function probePythonToPortUs(python: string, calls: number): Promise<number> {
  // the built port (worker threads load JavaScript), also when this runs from the TypeScript sources (tests)
  const pool = new WorkerPool({
    filename: path.join(packageRoot, 'dist', 'src', 'profile', 'echo-port.js'),
    exportName: 'echo',
    threads: 1,
  })
  const py = new PythonBridge({ python, timeoutMs: 30_000, forwardStderr: false, ports: { [PORT]: { ts: pool, mode: 'ts' } } })
  try {
    const mod = await py.import(pythonFile('pyport', 'profile', 'port_probe.py'))
    return await mod.call<number>('round_trip_us', [calls])
  } finally {
    await py.close()
    await pool.close()
  }
}
