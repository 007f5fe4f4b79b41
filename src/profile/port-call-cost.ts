import { probePythonToPortUs } from './port-probe.js'

/**
 * Which round trip the advisor charges for each call of a ported function.
 *
 * Once a function is ported, the Python that remains calls it: Python → TypeScript port → Python (@port). By
 * default calibrate() measures that round trip on this machine (port-probe.ts) and charges it. If it cannot be
 * measured (no worker threads, a failing interpreter), the advisor charges a host → Python call through
 * PythonBridge as a stand-in, and the calibration says so (Calibration.bridgeKind). Tests may register another
 * probe, or none.
 */

/** Median microseconds of one Python → port → Python round trip, measured over `calls` sequential calls. */
export type PythonToPortProbe = (python: string, calls: number) => Promise<number>

let probe: PythonToPortProbe | undefined = probePythonToPortUs
let generation = 0

/** Registers (or, with undefined, removes) the measurement of a Python → TypeScript port round trip. */
export function registerPythonToPortRoundTrip(p: PythonToPortProbe | undefined): void {
  probe = p
  generation++
}

/** Changes whenever a probe is registered or removed (calibrations measured before are stale). */
export function pythonToPortGeneration(): number {
  return generation
}

export function pythonToPortRoundTrip(): PythonToPortProbe | undefined {
  return probe
}

/** What calibrate() measured as the per-call cost: the real one, or the stand-in. */
export type BridgeKind = 'python-to-port' | 'host-to-python' | 'pipe'

export const BRIDGE_KIND_TEXT: Record<BridgeKind, string> = {
  'python-to-port': 'Python → port round trip',
  'host-to-python': 'host → Python round trip, a stand-in (Python → port could not be measured)',
  pipe: 'bare pipe round trip, a lower bound (PythonBridge failed), a stand-in (Python → port could not be measured)',
}
