import { count, duration, pct } from './format.js'
import type { Advice, Calibration, FunctionProfile } from './types.js'

/** Below this share of the program's CPU a function is not worth a port, whatever the arithmetic says. */
export const MIN_SHARE = 0.01
/** The shortest wait per call that counts as waiting on I/O (a blocking syscall, a sleep, a network read). */
export const MIN_IO_WAIT_S = 20e-6
/** Module-level code is only worth a remark (move it into a function) from this share up. */
export const MODULE_SHARE = 0.05

export interface AdvisorInput {
  functions: FunctionProfile[]
  calibration: Calibration
  /** Wall time of the whole program, seconds. */
  wallS: number
  /** Sampled CPU time of the whole program, seconds (the denominator of CPU shares). */
  cpuS: number
}

/** Seconds saved by running `cpuS` of Python work in TypeScript, paying the bridge `calls` times (Amdahl-style). */
export function portSaving(cpuS: number, calls: number | null, c: Calibration): number {
  return cpuS * (1 - 1 / c.speedup) - (calls ?? 1) * c.bridgeUs * 1e-6
}

/** What the bridge would cost over this run if the function alone were ported. */
const bridgeCost = (f: FunctionProfile, c: Calibration) => (f.calls ?? 0) * c.bridgeUs * 1e-6

const isModule = (f: FunctionProfile) => f.name === '<module>' || f.name.endsWith('.<module>')
const callsText = (n: number | null) => (n === null ? 'an uncounted number of calls' : `${count(n)} call${n === 1 ? '' : 's'}`)

/**
 * Ranks port candidates by estimated time saved. Each function is judged on its self time (C and library
 * calls included): that is what a port of it alone would move to TypeScript. Functions whose calls are too
 * small for the bridge are folded into their heaviest user caller, which is then judged with them — also when
 * their own CPU share is small, if porting them alone would add more than 10 % to the program's wall time.
 */
export function advise({ functions, calibration: c, wallS, cpuS: totalCpuS }: AdvisorInput): Advice[] {
  const byKey = new Map(functions.map((f) => [f.key, f]))
  const advice = new Map<string, Advice>()
  const takeAlong = new Map<string, { cpuS: number; names: string[] }>()
  const bridge = `${c.bridgeUs.toFixed(0)} µs`

  for (const f of functions) {
    if (f.key.startsWith('~:')) continue
    const base = { key: f.key, name: f.name, savedS: 0, savedShare: 0 }
    const gain = portSaving(f.self.cpuS, f.calls, c)
    const waits = f.self.wallS > 0 ? f.self.ioS / f.self.wallS : 0
    // A blocking wait lasts tens of µs at least: "waits" of nanoseconds per call are preemption seen by the sampler
    // on a loaded machine, not I/O, and such a function is judged on its calls instead.
    const waitPerCall = f.calls ? f.self.ioS / f.calls : Infinity
    if (f.class === 'io' && waitPerCall >= MIN_IO_WAIT_S) {
      advice.set(f.key, { ...base, verdict: 'io-bound', reason: `waits on I/O ${pct(waits)} of its time: porting will not help` })
    } else if (f.selfCpuShare < MIN_SHARE && !(gain <= 0 && bridgeCost(f, c) >= 0.1 * wallS)) {
      advice.set(f.key, { ...base, verdict: 'too-small', reason: `${pct(f.selfCpuShare)} of CPU: too little to gain from porting` })
    } else if (isModule(f) && f.selfCpuShare >= MODULE_SHARE) {
      advice.set(f.key, {
        ...base,
        verdict: 'module-level',
        reason: `${pct(f.selfCpuShare)} of CPU in module-level code: move it into a function to port it`,
      })
    } else if (isModule(f)) {
      advice.set(f.key, { ...base, verdict: 'too-small', reason: `${pct(f.selfCpuShare)} of CPU in module-level code: too little to gain` })
    } else if (gain > 0) {
      const what =
        f.class === 'mixed' ? `mixed (waits ${pct(waits)} of its time)` : f.class === 'unknown' ? 'too few samples to tell CPU from I/O' : 'CPU-bound'
      const then = f.class === 'mixed' ? 'port it (the waits stay)' : f.class === 'unknown' ? 'port it if it is CPU work (profile a longer run to be sure)' : 'port it'
      advice.set(f.key, {
        ...base,
        verdict: 'port',
        savedS: gain,
        savedShare: gain / wallS,
        reason: `${what}, ${pct(f.selfCpuShare)} of CPU in ${callsText(f.calls)}: ${then}`,
      })
    } else {
      const caller = f.callers.map((x) => byKey.get(x.key)).find((x) => x !== undefined)
      const perCall = f.calls ? f.self.cpuS / f.calls : f.self.cpuS
      const head = `${callsText(f.calls)} of ${duration(perCall)}: the bridge (${bridge} a call) would cost more than it saves`
      let reason = `${head} — batch the calls`
      if (caller && !isModule(caller)) {
        reason = `${head} — port its caller \`${caller.name}\` instead`
        const t = takeAlong.get(caller.key) ?? { cpuS: 0, names: [] }
        // the part of f's time spent under this caller (f may have other callers too)
        const underCaller = f.callers.find((x) => x.key === caller.key)?.wallS ?? 0
        t.cpuS += f.self.cpuS * (f.cum.wallS > 0 ? Math.min(1, underCaller / f.cum.wallS) : 1)
        t.names.push(f.name)
        takeAlong.set(caller.key, t)
      } else if (caller) {
        reason = `${head} — move the loop that calls it from module level into a function and port that`
      }
      advice.set(f.key, { ...base, verdict: 'port-caller', reason, ...(caller ? { portCaller: caller.name } : {}) })
    }
  }

  for (const [key, t] of takeAlong) {
    const p = byKey.get(key)
    const prev = advice.get(key)
    if (!p || !prev || prev.verdict === 'io-bound') continue
    const cpuS = p.self.cpuS + t.cpuS
    const gain = portSaving(cpuS, p.calls, c)
    if (gain <= 0 || gain < prev.savedS) continue
    const share = totalCpuS > 0 ? cpuS / totalCpuS : 0
    advice.set(key, {
      ...prev,
      verdict: 'port',
      savedS: gain,
      savedShare: gain / wallS,
      portWith: t.names,
      reason: `with ${t.names.map((n) => `\`${n}\``).join(', ')} (the small calls it makes), ${pct(share)} of CPU in ${callsText(p.calls)}: port it`,
    })
  }

  const wallOf = (a: Advice) => byKey.get(a.key)?.self.wallS ?? 0
  return [...advice.values()].sort((a, b) => b.savedS - a.savedS || wallOf(b) - wallOf(a) || a.key.localeCompare(b.key))
}
