import type { RawProfile } from './raw.js'

/** speedscope's file format (https://www.speedscope.app/file-format-schema.json), the sampled-profile subset. */
export interface SpeedscopeFile {
  $schema: 'https://www.speedscope.app/file-format-schema.json'
  shared: { frames: { name: string; file?: string; line?: number }[] }
  profiles: {
    type: 'sampled'
    name: string
    unit: 'milliseconds'
    startValue: number
    endValue: number
    samples: number[][]
    weights: number[]
  }[]
  name: string
  activeProfileIndex: number
  exporter: string
}

/**
 * Two sampled profiles per thread, one weighted by CPU time and one by wall time (CPU + GIL, I/O and core waits),
 * so speedscope shows both flame graphs. The profiler's own frames below the program are dropped.
 */
export function toSpeedscope(raw: RawProfile, name: string, exporter = 'pyport'): SpeedscopeFile {
  const frames = raw.sampling.frames.map((f) => ({ name: f.name, file: f.file, line: f.line }))
  // asyncio tasks' own stacks (sampled while they wait) get profiles of their own, apart from their thread's
  const byThread = new Map<string, { thread: number; task: boolean; samples: number[][]; cpu: number[]; wall: number[] }>()
  for (const s of raw.sampling.stacks) {
    const firstUser = s.stack.findIndex((i) => raw.sampling.frames[i]?.foreign === false)
    const stack = firstUser > 0 && s.thread === raw.mainThread && !s.task ? s.stack.slice(firstUser) : s.stack
    const id = `${s.thread}${s.task ? ':tasks' : ''}`
    let t = byThread.get(id)
    if (!t) {
      t = { thread: s.thread, task: s.task, samples: [], cpu: [], wall: [] }
      byThread.set(id, t)
    }
    t.samples.push(stack)
    t.cpu.push(s.cpuS * 1000)
    t.wall.push((s.cpuS + s.gilS + s.ioS + s.coreS) * 1000)
  }
  // speedscope needs one profile
  if (byThread.size === 0) byThread.set(String(raw.mainThread), { thread: raw.mainThread, task: false, samples: [], cpu: [], wall: [] })
  const profiles: SpeedscopeFile['profiles'] = []
  const nameOf = (id: number) => raw.threads[String(id)] ?? `thread ${id}`
  const order = (t: { thread: number; task: boolean }) => `${t.thread === raw.mainThread ? 0 : 1}${nameOf(t.thread)}${t.task ? 1 : 0}`
  const threads = [...byThread.values()].sort((a, b) => order(a).localeCompare(order(b)))
  for (const weight of ['wall', 'cpu'] as const) {
    for (const t of threads) {
      if (t.task && weight === 'cpu') continue // a waiting task uses no CPU
      const weights = t[weight]
      const total = weights.reduce((a, b) => a + b, 0)
      profiles.push({
        type: 'sampled',
        name: `${nameOf(t.thread)}${t.task ? ' — asyncio tasks (waiting)' : ''} — ${weight === 'cpu' ? 'CPU' : 'wall'} time`,
        unit: 'milliseconds',
        startValue: 0,
        endValue: total,
        samples: t.samples,
        weights,
      })
    }
  }
  return {
    $schema: 'https://www.speedscope.app/file-format-schema.json',
    shared: { frames },
    profiles,
    name,
    activeProfileIndex: 0,
    exporter,
  }
}
