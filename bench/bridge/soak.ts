/**
 * The bridge soak: 100 000 calls (1 000 in flight at a time; every tenth one a nested value with a bigint,
 * a Map and bytes), reporting the resident memory of the host and of the interpreter (and the interpreter's thread
 * count) after warm-up and at the end. Every answer is checked: `add(i, 1)` must be i + 1, and an echoed value must
 * come back equal in every field (the number, the bigint, the Map's entries, the bytes). Exit code 1 on a wrong one.
 * Run: node --expose-gc dist/bench/bridge/soak.js [--calls N] [--python PATH] [--json FILE]
 */
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { PythonBridge } from '../../src/bridge/bridge.js'
import { packageRoot } from '../../src/paths.js'

const BATCH = 1000
const WARMUP = 10_000

function interpreterStatus(pid: number): { rssMb: number; threads: number } {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8')
  const rss = /VmRSS:\s+(\d+) kB/.exec(text)
  const threads = /Threads:\s+(\d+)/.exec(text)
  return { rssMb: rss ? Number(rss[1]) / 1024 : NaN, threads: threads ? Number(threads[1]) : NaN }
}

type Echoed = { i: number; big: bigint; tags: Map<number, string>; raw: Uint8Array }

/** The echo came back equal, field by field (a Map and bytes compared by content). */
function sameEcho(r: Echoed, v: Echoed): boolean {
  return (
    r.i === v.i &&
    r.big === v.big &&
    r.tags instanceof Map &&
    r.tags.size === v.tags.size &&
    [...v.tags].every(([k, x]) => r.tags.get(k) === x) &&
    r.raw instanceof Uint8Array &&
    r.raw.length === v.raw.length &&
    v.raw.every((b, k) => r.raw[k] === b)
  )
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { calls: { type: 'string' }, python: { type: 'string' }, json: { type: 'string' } } })
  const calls = Number(values.calls ?? 100_000)
  if (!Number.isSafeInteger(calls) || calls < WARMUP + BATCH)
    throw new Error(`--calls must be a whole number >= ${WARMUP + BATCH}, got ${values.calls}`)
  const py = new PythonBridge({ python: values.python, timeoutMs: 60_000 })
  try {
    const agent = await py.import(path.join(packageRoot, 'bench', 'bridge', 'agent.py'))
    const samples: { calls: number; hostRssMb: number; pythonRssMb: number; pythonThreads: number; pythonPid: number; seconds: number }[] =
      []
    const t0 = performance.now()
    const sample = (done: number) => {
      global.gc?.()
      // eslint-disable-next-line @typescript-eslint/no-non-null-assertion -- sampled only after the import above started the interpreter
      const pid = py.pid!
      const python = interpreterStatus(pid)
      const s = {
        calls: done,
        hostRssMb: process.memoryUsage().rss / 2 ** 20,
        pythonRssMb: python.rssMb,
        pythonThreads: python.threads,
        pythonPid: pid,
        seconds: (performance.now() - t0) / 1000,
      }
      samples.push(s)
      process.stderr.write(
        `${String(done).padStart(7)} calls  host ${s.hostRssMb.toFixed(1)} MB  python ${s.pythonRssMb.toFixed(1)} MB, ${s.pythonThreads} threads (pid ${pid})  ${s.seconds.toFixed(1)} s\n`,
      )
    }
    let wrong = 0
    for (let done = 0; done < calls; done += BATCH) {
      if (done === WARMUP || (done > WARMUP && done % 10_000 === 0)) sample(done)
      const batch = Array.from({ length: BATCH }, (_, k) => {
        const i = done + k
        if (i % 10 === 0) {
          const v: Echoed = { i, big: BigInt(i + 1) << 64n, tags: new Map<number, string>([[i, 'x']]), raw: new Uint8Array([i & 255]) }
          return agent.call<Echoed>('echo', [v]).then((r) => (sameEcho(r, v) ? 0 : 1))
        }
        return agent.call<number>('add', [i, 1]).then((r) => (r === i + 1 ? 0 : 1))
      })
      wrong += (await Promise.all(batch)).reduce<number>((a, b) => a + b, 0)
    }
    sample(calls)
    // eslint-disable-next-line @typescript-eslint/no-non-null-assertion -- sample(calls) just above pushed one
    const start = samples[0]!
    // eslint-disable-next-line @typescript-eslint/no-non-null-assertion -- sample(calls) just above pushed one
    const end = samples.at(-1)!
    const report = {
      calls,
      wrongAnswers: wrong,
      start,
      end,
      hostRssGrowthMb: end.hostRssMb - start.hostRssMb,
      pythonRssGrowthMb: end.pythonRssMb - start.pythonRssMb,
      pythonThreadsGrowth: end.pythonThreads - start.pythonThreads,
      samples,
      stats: py.stats(),
    }
    console.log(
      `soak: ${calls} calls in ${end.seconds.toFixed(1)} s, ${wrong} wrong answers; after ${WARMUP} warm-up calls → end: ` +
        `host RSS ${start.hostRssMb.toFixed(1)} → ${end.hostRssMb.toFixed(1)} MB, python RSS ${start.pythonRssMb.toFixed(1)} → ${end.pythonRssMb.toFixed(1)} MB, ` +
        `python threads ${start.pythonThreads} → ${end.pythonThreads}${start.pythonPid === end.pythonPid ? '' : ` (the interpreter was replaced: pid ${start.pythonPid} → ${end.pythonPid})`}`,
    )
    if (values.json) writeFileSync(values.json, JSON.stringify(report, null, 2) + '\n')
    if (wrong > 0) process.exitCode = 1
  } finally {
    await py.close()
  }
}

await main()
