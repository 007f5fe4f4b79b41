import type { FunctionClass, FunctionTimes } from './types.js'

/** Waiting more than this share of its time makes a function I/O-bound; less than IO_LOW makes it CPU-bound. */
export const IO_HIGH = 0.8
export const IO_LOW = 0.2
/** Fewer samples than this cannot tell CPU from waiting. */
export const MIN_SAMPLES = 3

/**
 * CPU-bound, I/O-bound or mixed, from where the function's time went. Time waiting to run (for the GIL, or
 * for a core on a busy machine) counts as CPU demand, not as I/O. Judged on its own (self) time when there is
 * enough of it, else on everything below it.
 */
export function classify(self: FunctionTimes, cum: FunctionTimes, intervalS: number): FunctionClass {
  const t = self.samples >= MIN_SAMPLES && self.wallS >= MIN_SAMPLES * intervalS ? self : cum
  if (t.samples < MIN_SAMPLES || t.wallS <= 0) return 'unknown'
  const io = t.ioS / t.wallS
  if (io >= IO_HIGH) return 'io'
  if (io <= IO_LOW) return 'cpu'
  return 'mixed'
}
