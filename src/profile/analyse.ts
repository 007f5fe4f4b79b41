import type { RawFrame, RawProfile } from './raw.js'
import { classify } from './classify.js'
import { bucketOf } from './library.js'
import type { CpuSplit, FunctionProfile, FunctionTimes, ImportTime, ProfileTotals } from './types.js'

/** Comprehensions are separate code objects in Python <= 3.11, but to a reader they are part of their function. */
const INLINE_NAMES = /(^|\.)<(listcomp|dictcomp|setcomp|genexpr)>$/
/** Where time outside every user function goes (thread start-up, idle library threads, interpreter exit). */
export const OUTSIDE_KEY = '~:0:(outside your code)'
/** An asyncio event loop waiting for something to do, or doing its own bookkeeping: nobody's code. */
export const EVENT_LOOP_KEY = '~:0:(asyncio event loop)'

const zero = (): FunctionTimes => ({ cpuS: 0, gilS: 0, ioS: 0, coreS: 0, lockS: 0, wallS: 0, samples: 0 })
const keyOf = (f: { file: string; line: number; name: string }) => `${f.file}:${f.line}:${f.name}`

function add(t: FunctionTimes, s: { cpuS: number; gilS: number; ioS: number; coreS: number; lockS: number; n: number }): void {
  t.cpuS += s.cpuS
  t.gilS += s.gilS
  t.ioS += s.ioS
  t.coreS += s.coreS
  t.lockS += s.lockS
  t.wallS += s.cpuS + s.gilS + s.ioS + s.coreS
  t.samples += s.n
}

/**
 * For each counted function, the share of its sampled self CPU that was the counter itself
 * (calls × measured cost per call ÷ sampled self CPU, at most 1).
 */
function counterOverheadShares(raw: RawProfile, userStacks: RawFrame[][]): Map<string, number> {
  const cost = raw.counterCostS ?? 0
  const shares = new Map<string, number>()
  if (!(cost > 0)) return shares
  const selfCpu = new Map<string, number>()
  raw.sampling.stacks.forEach((s, i) => {
    const top = userStacks[i]?.at(-1)
    if (top) selfCpu.set(keyOf(top), (selfCpu.get(keyOf(top)) ?? 0) + s.cpuS)
  })
  for (const c of raw.counts) {
    const cpu = selfCpu.get(keyOf(c)) ?? 0
    if (cpu > 0 && c.calls > 0) shares.set(keyOf(c), Math.min(1, (c.calls * cost) / cpu))
  }
  return shares
}

interface Acc {
  file: string
  line: number
  name: string
  calls: number | null
  self: FunctionTimes
  cum: FunctionTimes
  split: CpuSplit
  imports: Map<string, ImportTime>
  callers: Map<string, number>
  threads: Set<string>
}

const noSplit = (): CpuSplit => ({ ownS: 0, stdlibS: 0, packages: {}, importS: 0 })

/**
 * Turns the raw samples and counts into one row per user function: self time is the time the function was
 * the innermost *user* frame (C and library code it called included), cum time the time it was anywhere on
 * the stack.
 */
export function analyse(raw: RawProfile): { functions: FunctionProfile[]; totals: ProfileTotals } {
  const acc = new Map<string, Acc>()
  const get = (f: { file: string; line: number; name: string }): Acc => {
    const key = keyOf(f)
    let a = acc.get(key)
    if (!a) {
      a = {
        file: f.file,
        line: f.line,
        name: f.name,
        calls: null,
        self: zero(),
        cum: zero(),
        split: noSplit(),
        imports: new Map(),
        callers: new Map(),
        threads: new Set(),
      }
      acc.set(key, a)
    }
    return a
  }
  for (const c of raw.counts) get(c).calls = c.calls

  const frames: RawFrame[] = raw.sampling.frames
  const isUser = (i: number): boolean => {
    const f = frames[i]
    return f !== undefined && ((f.kind === 'user' && !INLINE_NAMES.test(f.name)) || f.kind === 'loop')
  }
  const outside: RawFrame = { file: '~', line: 0, name: '(outside your code)', foreign: true, kind: 'pyport', package: null }
  const userStacks = raw.sampling.stacks.map((s) => s.stack.filter(isUser).map((i) => frames[i] as RawFrame))
  const counterShare = counterOverheadShares(raw, userStacks)

  let cpuTotal = 0
  let coreTotal = 0
  const threadsSeen = new Set<number>()
  raw.sampling.stacks.forEach((sample, si) => {
    const user = userStacks[si] as RawFrame[]
    const top = user[user.length - 1] ?? outside
    // take the call counter's own cost back out of the function that ran it, and of everything above it
    const s = { ...sample, cpuS: sample.cpuS * (1 - (counterShare.get(keyOf(top)) ?? 0)) }
    threadsSeen.add(s.thread)
    cpuTotal += s.cpuS
    const threadName = raw.threads[String(s.thread)] ?? `thread ${s.thread}`
    const topAcc = get(top)
    add(topAcc.self, s)
    let innermost = sample.stack.length - 1
    while (innermost >= 0 && !isUser(sample.stack[innermost] as number)) innermost--
    const bucket = bucketOf(frames, sample.stack, innermost)
    const split = topAcc.split
    if (bucket.kind === 'own') split.ownS += s.cpuS
    else if (bucket.kind === 'stdlib') split.stdlibS += s.cpuS
    else if (bucket.kind === 'package') split.packages[bucket.name] = (split.packages[bucket.name] ?? 0) + s.cpuS
    else {
      split.importS += s.cpuS
      const imp = topAcc.imports.get(bucket.name) ?? { name: bucket.name, cpuS: 0, wallS: 0 }
      imp.cpuS += s.cpuS
      imp.wallS += s.cpuS + s.gilS + s.ioS + s.coreS
      topAcc.imports.set(bucket.name, imp)
    }
    topAcc.threads.add(threadName)
    const seen = new Set<string>()
    coreTotal += s.coreS
    if (user.length === 0) add(topAcc.cum, s)
    user.forEach((f, i) => {
      const key = keyOf(f)
      const a = get(f)
      a.threads.add(threadName)
      if (seen.has(key)) return // recursion: count the stack once
      seen.add(key)
      add(a.cum, s)
      const parent = user[i - 1]
      if (parent) {
        const pk = keyOf(parent)
        if (pk !== key) a.callers.set(pk, (a.callers.get(pk) ?? 0) + s.cpuS + s.gilS + s.ioS + s.coreS)
      }
    })
  })

  const functions: FunctionProfile[] = []
  for (const [key, a] of acc) {
    functions.push({
      key,
      file: a.file,
      line: a.line,
      name: a.name,
      calls: a.calls,
      self: a.self,
      cum: a.cum,
      selfCpuShare: cpuTotal > 0 ? a.self.cpuS / cpuTotal : 0,
      selfCpuIn: a.split,
      imports: [...a.imports.values()].sort((x, y) => y.wallS - x.wallS),
      class: classify(a.self, a.cum, raw.sampling.intervalMs / 1000),
      callers: [...a.callers].sort((x, y) => y[1] - x[1]).map(([k, wallS]) => ({ key: k, name: acc.get(k)?.name ?? k, wallS })),
      threads: [...a.threads],
    })
  }
  functions.sort((x, y) => y.self.cpuS - x.self.cpuS || y.self.wallS - x.self.wallS || x.key.localeCompare(y.key))
  return {
    functions,
    totals: {
      wallS: raw.wallS,
      cpuS: cpuTotal,
      processCpuS: raw.cpuS,
      samples: raw.sampling.samples,
      intervalMs: raw.sampling.intervalMs,
      threads: threadsSeen.size,
      coreS: coreTotal,
      waitMethod: raw.sampling.waitMethod,
      waitMethodDetail: raw.sampling.waitMethodDetail,
      mainCpu: raw.sampling.mainCpu ?? 'thread',
    },
  }
}
