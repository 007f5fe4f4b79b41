/**
 * The physical limit of a run of N agents on this machine, and the Amdahl model that predicts a variant's wall
 * time on more cores from the serial and parallel CPU measured here.
 */
import type { CpuSplit } from './process-tree.js'
import type { Variant } from './variants.js'

/** The longest any one agent must wait on the network: its waits cannot overlap each other. */
export function waitFloor(agents: number, steps: number, wait: (agent: number, step: number) => number): number {
  let longest = 0
  for (let a = 0; a < agents; a++) {
    let total = 0
    for (let s = 0; s < steps; s++) total += wait(a, s)
    longest = Math.max(longest, total)
  }
  return longest
}

/** max(the longest agent's waits, all thinking done by the TypeScript kernel spread over every core). */
export function idealSeconds(floor: number, agents: number, steps: number, tsThinkS: number, cores: number): number {
  return Math.max(floor, (agents * steps * tsThinkS) / cores)
}

export function splitSerial(variant: Pick<Variant, 'root' | 'childrenPerCore'>, cpu: CpuSplit): { serial: number; parallel: number } {
  const rootSerial = variant.root === 'python' ? cpu.rootMain + cpu.rootOther : cpu.rootMain
  const rootParallel = variant.root === 'python' ? 0 : cpu.rootOther
  return variant.childrenPerCore
    ? { serial: rootSerial, parallel: rootParallel + cpu.children }
    : { serial: rootSerial + cpu.children, parallel: rootParallel }
}

/**
 * Amdahl: with serial share f of the CPU, the wall on c cores is the wall measured on k cores times
 * (f + (1 - f) / c) / (f + (1 - f) / k), and never below the waits, which no core count shortens.
 */
export function amdahl(wallS: number, serialS: number, parallelS: number, measuredCores: number, cores: number, floor: number): number {
  const total = serialS + parallelS
  if (total <= 0) return Math.max(floor, wallS)
  const f = serialS / total
  const scale = (f + (1 - f) / cores) / (f + (1 - f) / measuredCores)
  return Math.max(floor, wallS * scale)
}
