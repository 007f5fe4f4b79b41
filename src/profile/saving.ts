import { duration } from './format.js'
import type { Calibration, CpuSplit } from './types.js'

/** Below this share of the program's CPU a function is not worth a port, whatever the arithmetic says. */
export const MIN_SHARE = 0.01
/** A port must save at least this share of the program's wall time to be advised ("port it" must pay). */
export const MIN_SAVED_SHARE = 0.02
/** The shortest wait per call that counts as waiting on I/O (a blocking syscall, a sleep, a network read). */
export const MIN_IO_WAIT_S = 20e-6
/** Module-level code of its own is only worth a remark (move it into a function) from this share of the CPU up. */
export const MODULE_SHARE = 0.05
/** A function with at least this share of its self CPU in one package (or the standard library) is library-bound. */
export const LIBRARY_SHARE = 0.5
/** A function with at least this share of its self CPU spent importing is judged as import time. */
export const IMPORT_SHARE = 0.5

/**
 * Seconds saved by running `cpuS` of Python in TypeScript, paying the bridge `calls` times (Amdahl-style). Only
 * a function's own code is passed in: the measured speed-up is that of a tight loop of the user's kind of code;
 * what TypeScript equivalents of a library would gain is unknown, so library time is counted as unchanged.
 */
export function portSaving(cpuS: number, calls: number | null, c: Calibration): number {
  return cpuS * (1 - 1 / c.speedup) - (calls ?? 1) * c.bridgeUs * 1e-6
}

/** The CPU parts that are not the function's own code, largest first: [label, seconds]. */
export function otherParts(split: CpuSplit): [string, number][] {
  const parts: [string, number][] = Object.entries(split.packages).map(([name, s]) => [`\`${name}\``, s])
  if (split.stdlibS > 0) parts.push(['the standard library', split.stdlibS])
  if (split.importS > 0) parts.push(['imports', split.importS])
  return parts.filter(([, s]) => s > 0).sort((a, b) => b[1] - a[1])
}

/** "saved = own code 601 ms × (1 − 1/27.2) − 1 call × 255 µs of bridge; 40 ms in the standard library counted unchanged" */
export function estimateText(split: CpuSplit, calls: number | null, c: Calibration, extraOwnS = 0): string {
  const n = calls ?? 1
  let text =
    `saved = own code ${duration(split.ownS + extraOwnS)} × (1 − 1/${c.speedup.toFixed(1)}, the measured speed-up of a tight loop) ` +
    `− ${n} call${n === 1 ? '' : 's'} × ${c.bridgeUs.toFixed(0)} µs of bridge`
  const rest = otherParts(split)
  if (rest.length > 0) {
    text += `; ${rest.map(([name, s]) => `${duration(s)} in ${name}`).join(', ')} counted unchanged (no measured speed-up for ${rest.length === 1 ? 'it' : 'them'})`
  }
  return text
}
