import { count, duration, pct } from './format.js'
import { dominantLibrary } from './library.js'
import { innerLabel, nestedKind, portUnits, withInner } from './nesting.js'
import { IMPORT_SHARE, LIBRARY_SHARE, MIN_IO_WAIT_S, MIN_SAVED_SHARE, MIN_SHARE, MODULE_SHARE, estimateText, portSaving } from './saving.js'
import type { Advice, Calibration, FunctionProfile } from './types.js'

export { IMPORT_SHARE, LIBRARY_SHARE, MIN_IO_WAIT_S, MIN_SAVED_SHARE, MIN_SHARE, MODULE_SHARE, portSaving } from './saving.js'

export interface AdvisorInput {
  functions: FunctionProfile[]
  calibration: Calibration
  /** Wall time of the whole program, seconds. */
  wallS: number
  /** Sampled CPU time of the whole program, seconds (the denominator of CPU shares). */
  cpuS: number
  /** Sampling interval, seconds (default 0.002): how many samples make a class trustworthy. */
  intervalS?: number
}

const isModule = (f: FunctionProfile) => f.name === '<module>' || f.name.endsWith('.<module>')
const callsText = (n: number | null) => (n === null ? 'an uncounted number of calls' : `${count(n)} call${n === 1 ? '' : 's'}`)
const quoted = (names: string[]) => names.map((n) => `\`${n}\``).join(', ')

function importText(f: FunctionProfile): string {
  const names = f.imports.slice(0, 4).map((i) => `${i.name} ${duration(i.wallS)}`)
  const more = f.imports.length > 4 ? `, ${f.imports.length - 4} more` : ''
  return `importing ${names.join(', ')}${more}`
}

/** The judgement of one function (merged with the functions defined inside it) on its own. */
function judge(v: FunctionProfile, inner: string[], c: Calibration, wallS: number, totalCpuS: number): Advice {
  const base = { key: v.key, name: v.name, savedS: 0, savedShare: 0, ...(inner.length ? { inner } : {}) }
  const split = v.selfCpuIn
  const gain = portSaving(split.ownS, v.calls, c)
  const waits = v.self.wallS > 0 ? v.self.ioS / v.self.wallS : 0
  // A blocking wait lasts tens of µs at least: "waits" of nanoseconds per call are preemption seen by the sampler
  // on a loaded machine, not I/O, and such a function is judged on its calls instead.
  const waitPerCall = v.calls ? v.self.ioS / v.calls : Infinity
  const withInnerText = inner.length ? ` (with ${quoted(inner.map((n) => innerLabel(n, v.name)))} defined inside it)` : ''
  const bridgeCost = (v.calls ?? 0) * c.bridgeUs * 1e-6

  if (v.class === 'io' && waitPerCall >= MIN_IO_WAIT_S) {
    // a wait on other threads (join(), a lock, a queue) or tasks (gather()) is theirs to shorten, not I/O to port
    const onOthers = v.self.lockS >= 0.5 * v.self.ioS
    const reason = onOthers
      ? `waits on other threads or tasks (join(), a lock, a queue, gather()) ${pct(waits)} of its time: porting it will not help — what it waits for has rows of its own`
      : `waits on I/O ${pct(waits)} of its time: porting will not help`
    return { ...base, verdict: 'io-bound', reason }
  }
  if (split.importS > 0 && split.importS >= IMPORT_SHARE * v.self.cpuS && split.importS / totalCpuS >= MIN_SHARE) {
    return {
      ...base,
      verdict: 'import',
      reason:
        `import time, ${pct(split.importS / totalCpuS)} of CPU (${importText(v)} of wall): start-up cost, not code to port — ` +
        'import lazily where it is needed, or keep the process alive between tasks',
    }
  }
  if (v.selfCpuShare < MIN_SHARE && !(gain <= 0 && bridgeCost >= 0.1 * wallS)) {
    return { ...base, verdict: 'too-small', reason: `${pct(v.selfCpuShare)} of CPU: too little to gain from porting` }
  }
  const lib = dominantLibrary(split, v.self.cpuS, LIBRARY_SHARE)
  if (lib) {
    const what = lib.stdlib
      ? `${pct(lib.share)} of its CPU is in the standard library: a port would use TypeScript's own equivalents, whose speed pyport does not know — measure it`
      : `${pct(lib.share)} of its CPU is inside \`${lib.name}\`, a third-party package: porting it means finding or writing a TypeScript equivalent of ${lib.name}, not rewriting this function`
    // its own code's share of a port still counts, if it pays on its own
    const own = gain >= MIN_SAVED_SHARE * wallS ? { savedS: gain, savedShare: gain / wallS } : {}
    return {
      ...base,
      ...own,
      verdict: 'library',
      library: lib.stdlib ? 'the standard library' : lib.name,
      estimate: estimateText(split, v.calls, c),
      reason: `${what}${withInnerText}`,
    }
  }
  if (isModule(v)) {
    const ownShare = totalCpuS > 0 ? split.ownS / totalCpuS : 0
    const imports = split.importS > 0 ? `; plus import time (${importText(v)})` : ''
    if (ownShare >= MODULE_SHARE) {
      return {
        ...base,
        verdict: 'module-level',
        reason: `${pct(ownShare)} of CPU in module-level code: move it into a function to port it${imports}`,
      }
    }
    return { ...base, verdict: 'too-small', reason: `${pct(ownShare)} of CPU in module-level code: too little to gain${imports}` }
  }
  if (gain > 0) {
    const estimate = estimateText(split, v.calls, c)
    if (gain < MIN_SAVED_SHARE * wallS) {
      return {
        ...base,
        verdict: 'too-small',
        estimate,
        reason: `a port would save ${duration(gain)}, ${pct(gain / wallS)} of the wall time: less than the ${pct(MIN_SAVED_SHARE)} a port must save to pay for itself`,
      }
    }
    const what =
      v.class === 'mixed'
        ? `mixed (waits on I/O ${pct(waits)} of its time)`
        : v.class === 'unknown'
          ? 'too few samples to tell CPU from I/O'
          : 'CPU-bound'
    const then =
      v.class === 'mixed'
        ? 'port it (the waits stay)'
        : v.class === 'unknown'
          ? 'port it if it is CPU work (profile a longer run to be sure)'
          : 'port it'
    return {
      ...base,
      verdict: 'port',
      savedS: gain,
      savedShare: gain / wallS,
      estimate,
      reason: `${what}, ${pct(v.selfCpuShare)} of CPU in ${callsText(v.calls)}${withInnerText}: ${then}`,
    }
  }
  const perCall = v.calls ? v.self.cpuS / v.calls : v.self.cpuS
  const bridge = `${c.bridgeUs.toFixed(0)} µs a call`
  return {
    ...base,
    verdict: 'port-caller',
    reason: `${callsText(v.calls)} of ${duration(perCall)}: the bridge (${bridge}) would cost more than it saves — batch the calls`,
  }
}

/**
 * Ranks port candidates by estimated time saved. Each function is judged on its self time, split into its own
 * code (the measured speed-up applies), the standard library and third-party packages (counted unchanged: a port
 * needs TypeScript equivalents of them) and imports (start-up, not code). Lambdas and nested functions are judged
 * with the function they are defined in; functions whose calls are too small for the bridge are folded into
 * their heaviest user caller, which is then judged with them. A port is advised only when it saves at least
 * MIN_SAVED_SHARE of the wall time.
 */
export function advise({ functions, calibration: c, wallS, cpuS: totalCpuS, intervalS = 0.002 }: AdvisorInput): Advice[] {
  const byKey = new Map(functions.map((f) => [f.key, f]))
  const units = portUnits(functions)
  const innerOf = new Map<string, FunctionProfile[]>()
  for (const [key, unit] of units) {
    const f = byKey.get(key)
    if (unit && f) innerOf.set(unit, [...(innerOf.get(unit) ?? []), f])
  }
  const view = (f: FunctionProfile) => withInner(f, innerOf.get(f.key) ?? [], intervalS)
  const unitOf = (key: string) => byKey.get(units.get(key) ?? key) ?? byKey.get(key)

  const advice = new Map<string, Advice>()
  const takeAlong = new Map<string, { ownS: number; names: string[] }>()
  for (const f of functions) {
    if (f.key.startsWith('~:')) continue
    const base = { key: f.key, name: f.name, savedS: 0, savedShare: 0 }
    if (units.has(f.key)) {
      const unit = byKey.get(units.get(f.key) ?? '')
      advice.set(
        f.key,
        unit
          ? {
              ...base,
              verdict: 'port-enclosing',
              portEnclosing: unit.name,
              reason: `${nestedKind(f.name)} defined in \`${unit.name}\` (${pct(f.selfCpuShare)} of CPU): it cannot be ported on its own — judged with \`${unit.name}\``,
            }
          : {
              ...base,
              verdict: f.selfCpuShare >= MODULE_SHARE ? 'module-level' : 'too-small',
              reason: `${nestedKind(f.name)} at module or class level (${pct(f.selfCpuShare)} of CPU): give it a name with def, inside a function, to port it`,
            },
      )
      continue
    }
    const v = view(f)
    const inner = (innerOf.get(f.key) ?? []).map((g) => g.name)
    const a = judge(v, inner, c, wallS, totalCpuS)
    if (a.verdict === 'port-caller') {
      const caller = v.callers.map((x) => unitOf(x.key)).find((x) => x !== undefined && x.key !== f.key)
      if (caller && !isModule(caller)) {
        a.reason = a.reason.replace(/ — batch the calls$/, ` — port its caller \`${caller.name}\` instead`)
        a.portCaller = caller.name
        const t = takeAlong.get(caller.key) ?? { ownS: 0, names: [] }
        // the part of f's time spent under this caller (or a function defined inside it; f may have other callers too)
        const underCaller = v.callers.filter((x) => unitOf(x.key)?.key === caller.key).reduce((s, x) => s + x.wallS, 0)
        t.ownS += v.selfCpuIn.ownS * (v.cum.wallS > 0 ? Math.min(1, underCaller / v.cum.wallS) : 1)
        t.names.push(f.name)
        takeAlong.set(caller.key, t)
      } else if (caller) {
        a.reason = a.reason.replace(/ — batch the calls$/, ' — move the loop that calls it from module level into a function and port that')
        a.portCaller = caller.name
      }
    }
    advice.set(f.key, a)
  }

  for (const [key, t] of takeAlong) {
    const p = byKey.get(key)
    const prev = advice.get(key)
    if (!p || !prev || !['port', 'too-small', 'port-caller'].includes(prev.verdict)) continue
    const v = view(p)
    const gain = portSaving(v.selfCpuIn.ownS + t.ownS, v.calls, c)
    if (gain < MIN_SAVED_SHARE * wallS || gain < prev.savedS) continue
    const share = totalCpuS > 0 ? (v.self.cpuS + t.ownS) / totalCpuS : 0
    advice.set(key, {
      ...prev,
      verdict: 'port',
      savedS: gain,
      savedShare: gain / wallS,
      portWith: t.names,
      estimate: estimateText(v.selfCpuIn, v.calls, c, t.ownS),
      reason: `with ${quoted(t.names)} (the small calls it makes), ${pct(share)} of CPU in ${callsText(v.calls)}: port it`,
    })
  }

  // rows that save nothing: where the CPU is first (a library-bound function before one that waits)
  const cpuOf = (a: Advice) => byKey.get(a.key)?.self.cpuS ?? 0
  const wallOf = (a: Advice) => byKey.get(a.key)?.self.wallS ?? 0
  return [...advice.values()].sort(
    (a, b) => b.savedS - a.savedS || cpuOf(b) - cpuOf(a) || wallOf(b) - wallOf(a) || a.key.localeCompare(b.key),
  )
}
