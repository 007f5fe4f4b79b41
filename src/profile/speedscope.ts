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
  const byThread = new Map<number, { samples: number[][]; cpu: number[]; wall: number[] }>()
  for (const s of raw.sampling.stacks) {
    const firstUser = s.stack.findIndex((i) => raw.sampling.frames[i]?.foreign === false)
    const stack = firstUser > 0 && s.thread === raw.mainThread ? s.stack.slice(firstUser) : s.stack
    let t = byThread.get(s.thread)
    if (!t) {
      t = { samples: [], cpu: [], wall: [] }
      byThread.set(s.thread, t)
    }
    t.samples.push(stack)
    t.cpu.push(s.cpuS * 1000)
    t.wall.push((s.cpuS + s.gilS + s.ioS + s.coreS) * 1000)
  }
  if (byThread.size === 0) byThread.set(raw.mainThread, { samples: [], cpu: [], wall: [] }) // speedscope needs one profile
  const profiles: SpeedscopeFile['profiles'] = []
  const nameOf = (id: number) => raw.threads[String(id)] ?? `thread ${id}`
  const threads = [...byThread].sort(([a], [b]) => (a === raw.mainThread ? -1 : b === raw.mainThread ? 1 : nameOf(a).localeCompare(nameOf(b))))
  for (const weight of ['wall', 'cpu'] as const) {
    for (const [id, t] of threads) {
      const weights = t[weight]
      const total = weights.reduce((a, b) => a + b, 0)
      profiles.push({
        type: 'sampled',
        name: `${nameOf(id)} — ${weight === 'cpu' ? 'CPU' : 'wall'} time`,
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
