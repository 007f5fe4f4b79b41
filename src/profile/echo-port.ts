/** The port the calibration's Python → port probe calls: it returns its argument (python/pyport/profile/port_probe.py). */
export function echo(x: unknown): unknown {
  return x
}
