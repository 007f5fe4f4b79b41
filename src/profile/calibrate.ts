import { performance } from 'node:perf_hooks'
import { createInterface } from 'node:readline'
import { execa } from 'execa'
import { pythonFile } from '../paths.js'
import { probeBridgeUs } from './bridge-probe.js'
import { ProfileRunError } from './errors.js'
import { pythonToPortGeneration, pythonToPortRoundTrip, type BridgeKind } from './port-call-cost.js'
import type { Calibration } from './types.js'

export interface CalibrateOptions {
  /** Absolute path of the Python interpreter. */
  python: string
  /** Skip measuring the speed ratio: use this instead (e.g. from `pyport bench`). */
  speedup?: number | undefined
  /** Skip measuring the bridge: use this per-call cost in microseconds instead. */
  bridgeUs?: number | undefined
  /** Primes below this in the kernel (default 20000: ~25 ms of Python). */
  kernelLimit?: number
  /** Round trips timed through the pipe (default 300). */
  roundTrips?: number
}

/** The article's trial-division kernel; python/pyport/profile/probe.py times the article's own function from cpu_perf.py. */
export function sumPrimesKernel(start: number, end: number): number {
  let total = 0
  for (let num = start; num < end; num++) {
    let isPrime = true
    const r = Math.floor(Math.sqrt(num))
    for (let i = 2; i <= r; i++) {
      if (num % i === 0) {
        isPrime = false
        break
      }
    }
    if (isPrime) total += num
  }
  return total
}

function timeTsKernel(limit: number): { bestS: number; sum: number } {
  let best = Infinity
  let sum = 0
  for (let i = 0; i < 7; i++) {
    const t0 = performance.now()
    sum = sumPrimesKernel(2, limit)
    best = Math.min(best, (performance.now() - t0) / 1000)
  }
  return { bestS: best, sum }
}

const memo = new Map<string, Promise<Calibration>>()

/**
 * Measures, on this machine and now, how much faster TypeScript runs the calibration kernel than Python, and
 * what one call through PythonBridge costs (a bare pipe round trip if the bridge cannot start). Takes well under
 * 2 s; memoised per interpreter for the life of the process. Either figure can be given instead of measured.
 */
export function calibrate(options: CalibrateOptions): Promise<Calibration> {
  const { speedup, bridgeUs } = options
  if (speedup !== undefined && bridgeUs !== undefined) {
    return Promise.resolve({
      speedup,
      bridgeUs,
      source: { speedup: 'option', bridgeUs: 'option' },
      detail: `speed-up ${speedup}× and bridge ${bridgeUs} µs a call given as options`,
    })
  }
  const key = `${options.python}:${options.kernelLimit ?? ''}:${options.roundTrips ?? ''}:${pythonToPortGeneration()}`
  let measured = memo.get(key)
  if (!measured) {
    measured = measure(options)
    memo.set(key, measured)
    measured.catch(() => memo.delete(key))
  }
  return measured.then((m) => ({
    speedup: speedup ?? m.speedup,
    bridgeUs: bridgeUs ?? m.bridgeUs,
    ...(bridgeUs === undefined && m.bridgeKind ? { bridgeKind: m.bridgeKind } : {}),
    source: { speedup: speedup === undefined ? 'measured' : 'option', bridgeUs: bridgeUs === undefined ? 'measured' : 'option' },
    detail: m.detail,
  }))
}

async function measure(options: CalibrateOptions): Promise<Calibration> {
  const limit = options.kernelLimit ?? 20_000
  const trips = options.roundTrips ?? 300
  const child = execa(options.python, [pythonFile('pyport', 'profile', 'probe.py'), String(limit)], {
    stdin: 'pipe',
    stdout: 'pipe',
    stderr: 'pipe',
    timeout: 30_000,
    reject: false,
    env: { PYTHONDONTWRITEBYTECODE: '1' },
  })
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]()
  const next = async (): Promise<Record<string, unknown>> => {
    const r = await lines.next()
    if (r.done) {
      const res = await child
      const stderrTail = res.stderr
        .trim()
        .split('\n')
        .filter((l) => l !== '')
        .slice(-3)
      const pid = child.pid === undefined ? {} : { pid: child.pid }
      if (res.signal) throw new ProfileRunError({ failed: 'signal', stage: 'calibrate', signal: res.signal, stderrTail, ...pid })
      if (res.failed && res.exitCode === undefined) {
        throw new ProfileRunError({
          failed: 'start',
          stage: 'calibrate',
          python: options.python,
          detail: res.shortMessage,
          cause: res.cause,
        })
      }
      throw new ProfileRunError({ failed: 'exit', stage: 'calibrate', exitCode: res.exitCode ?? null, stderrTail, ...pid })
    }
    return JSON.parse(r.value) as Record<string, unknown>
  }
  try {
    const first = (await next())['kernel'] as { sum: number; bestS: number }
    const ts = timeTsKernel(limit)
    if (ts.sum !== first.sum)
      throw new ProfileRunError({
        failed: 'bad-output',
        stage: 'calibrate',
        detail: `the kernels disagree: TypeScript ${ts.sum}, Python ${first.sum}`,
      })
    const times: number[] = []
    for (let i = 0; i < trips; i++) {
      const t0 = performance.now()
      child.stdin.write(`${JSON.stringify({ id: i, fn: 'echo', args: [i] })}\n`)
      const reply = await next()
      if (reply['id'] !== i)
        throw new ProfileRunError({
          failed: 'bad-output',
          stage: 'calibrate',
          detail: `it answered call ${String(reply['id'])}, expected ${i}`,
        })
      times.push(performance.now() - t0)
    }
    times.sort((a, b) => a - b)
    const pipeUs = (times[Math.floor(times.length / 2)] ?? 0) * 1000
    const speedup = first.bestS / ts.bestS
    // Python → port when that can be measured (port-call-cost.ts); else the real bridge as a stand-in when it
    // starts, else a bare pipe round trip (a lower bound)
    const toPort = pythonToPortRoundTrip()
    const hostToPython = () =>
      probeBridgeUs(options.python, trips).then(
        (us) => ({
          us,
          kind: 'host-to-python' as BridgeKind,
          how: `PythonBridge, median of ${trips} sequential calls, standing in for Python → port, which could not be measured; a bare pipe round trip: ${pipeUs.toFixed(0)} µs`,
        }),
        (err: unknown) => ({
          us: pipeUs,
          kind: 'pipe' as BridgeKind,
          how: `median of ${trips} JSON round trips through a pipe; PythonBridge failed: ${(err as Error).message.split('\n')[0]}`,
        }),
      )
    const bridge = toPort
      ? await toPort(options.python, trips).then(
          (us) => ({
            us,
            kind: 'python-to-port' as BridgeKind,
            how: `Python → TypeScript port round trip, median of ${trips} sequential calls`,
          }),
          () => hostToPython(),
        )
      : await hostToPython()
    const bridgeUs = bridge.us
    return {
      speedup,
      bridgeUs,
      bridgeKind: bridge.kind,
      source: { speedup: 'measured', bridgeUs: 'measured' },
      detail:
        `TypeScript ${speedup.toFixed(1)}× faster than Python on trial-division primes below ${limit} ` +
        `(${(ts.bestS * 1e3).toFixed(2)} ms vs ${(first.bestS * 1e3).toFixed(1)} ms); ` +
        `bridge ${bridgeUs.toFixed(0)} µs a call (${bridge.how})`,
    }
  } finally {
    child.stdin.end()
    child.kill()
    await child.catch(() => undefined)
  }
}
