import { performance } from 'node:perf_hooks'
import { PortTimeoutError } from '../workers/errors.js'
import { copyData } from './copy-data.js'
import { describe } from './describe.js'
import { resolveHybridOptions, type HybridOptions } from './hybrid-options.js'
import { resolveMode, type Mode } from './mode.js'
import { errorInfo, isPortFault, makeJudge, type SideResult } from './outcome.js'
import type { RecordedCall } from './record-types.js'
import { createRecorder, encodeArgs, isUnencodable, recordSide, type Recorder } from './recorder.js'
import { Tally, type HybridReport } from './tally.js'

export interface HybridFunction<A extends unknown[], R> {
  (...args: A): Promise<R>
  readonly name: string
  /** The mode in force and where it came from ("option", "PYPORT_MODE_RANK", "config FILE", "default"). */
  readonly mode: Mode
  readonly modeSource: string
  /** Counts, latencies, speed-up and the verdict so far (comparisons still running are not in it yet). */
  report(): HybridReport
  /**
   * Resolves when every shadow comparison and record write started before this call has finished (work that
   * later calls start is not waited for, so it resolves under steady load too). At most `maxShadowBacklog`
   * shadow calls are ever in flight, so this waits for at most that many port calls.
   */
  settled(): Promise<void>
  /**
   * Stops shadowing and recording: shadow calls still waiting for a free port thread are dropped (counted as
   * `skipped`), those already running on the port are waited for and judged, then the record file is closed.
   * Later calls still work (Python's result; the port's in ts mode) but are never shadowed or recorded. Does not
   * close a WorkerPool you passed as `ts`.
   */
  close(): Promise<void>
}

/** Runs one side and never rejects: the result, or the error as data plus the original thrown value. */
async function timed(fn: () => unknown): Promise<{ side: SideResult; thrown?: unknown }> {
  const t0 = performance.now()
  try {
    const value = await fn()
    return { side: { ok: true, value, ms: performance.now() - t0 } }
  } catch (err) {
    const side: SideResult = { ok: false, error: errorInfo(err), ms: performance.now() - t0 }
    if (err instanceof PortTimeoutError) side.timedOut = true
    if (isPortFault(err)) side.fault = true
    return { side, thrown: err }
  }
}

/**
 * Runs a plain-function port with a deadline; it cannot be stopped, so on timeout it is abandoned. A synchronous
 * port holds the thread, so the timer cannot fire while it runs: if it answers after the deadline anyway, it still
 * counts as a timeout.
 */
function withDeadline<T>(run: () => Promise<T> | T, ms: number): Promise<T> {
  const late = () => new PortTimeoutError(undefined, ms, false)
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(late())
    }, ms)
    timer.unref()
    const t0 = performance.now()
    Promise.resolve()
      .then(run)
      .then((v) => {
        if (performance.now() - t0 > ms) reject(late())
        else resolve(v)
      }, reject)
      .finally(() => {
        clearTimeout(timer)
      })
  })
}

/**
 * Wraps a Python function and its TypeScript port behind one async function with the same signature. In
 * `shadow` mode the caller gets exactly what Python returned or threw; the port runs beside it, is compared,
 * counted and recorded, and its errors, hangs and slowness never reach the caller. Throws at creation, so a
 * misconfigured deployment fails at start-up: PyportOptionError for a bad option, HybridConfigError for an unknown
 * mode name in PYPORT_MODE_<NAME>, PYPORT_MODE or the config file, or a config file that cannot be used.
 */
export function hybrid<A extends unknown[], R>(options: HybridOptions<A, R>): HybridFunction<A, R> {
  return createHybrid(options, {}).fn
}

/**
 * @internal How PythonBridge serves a port that Python calls (src/bridge/ports.ts): Python has already run its side
 * and drawn the sample. Both are read synchronously when the call starts (before its first await).
 */
export interface HybridInternals {
  /** Python's side of this call, as Python ran it: used instead of calling `python` in python and shadow modes. */
  pythonSide?: () => { side: SideResult; thrown?: unknown }
  /** Whether this call is sampled, instead of drawing with `sample` and `random`. */
  sampled?: () => boolean
  /** Whose options these are, in a PyportOptionError's message (default `hybrid "<name>"`). */
  owner?: string
}

/** @internal Counts for what happens outside hybrid() (on the bridge, or in Python), so one report holds every call. */
export interface HybridHooks {
  /** A call that fell back to Python; `counted`: hybrid() counted the call already (its result could not cross afterwards). */
  fellBack(counted: boolean): void
  /** Calls Python made that could not be offered for comparison (arguments or a result that cannot cross). */
  skipped(count: number, pythonMs?: number): void
}

/** @internal hybrid(), with the hooks PythonBridge needs. */
export function createHybrid<A extends unknown[], R>(
  options: HybridOptions<A, R>,
  internals: HybridInternals,
): { fn: HybridFunction<A, R>; hooks: HybridHooks } {
  const o = resolveHybridOptions(options, internals.owner)
  const { name, python, ts } = o
  const { mode, source } = resolveMode({ name, option: o.mode, configFile: o.config })
  const judge = makeJudge({ compare: o.compare, ignore: o.ignore })
  const tally = new Tally(name, o.readyAfter)
  const recorder: Recorder | undefined = o.record === undefined ? undefined : createRecorder(o.record)
  const pending = new Set<Promise<void>>()
  const copy: <T>(v: T) => T = o.isolate ? copyData : (v) => v
  let closed = false
  // The shadow backlog: shadow calls admitted and not yet judged and recorded (`backlog`, never more than
  // maxShadowBacklog). A WorkerPool gets at most `threads` of them at once, so a call handed to it starts on a
  // thread at once (and its shadowTimeoutMs with it); the others wait here, in `waiting`, where close() can drop them.
  // A PortRunner (a WorkerPool) runs the port on its own threads; a function runs on the caller's.
  const runner = typeof ts === 'function' ? undefined : ts
  const portThreads = runner ? runner.threads : Infinity
  const waiting: Array<{ start: () => void; skip: () => void }> = []
  let running = 0
  let backlog = 0
  const startWaiting = () => {
    while (running < portThreads && waiting.length > 0) waiting.shift()?.start()
  }

  const callPort = (args: A, timeoutMs?: number): Promise<R> => {
    if (runner) return runner.apply<R>(args, { timeoutMs })
    const portFn = ts as (...args: A) => Promise<R> | R
    const run = () => portFn(...args)
    return timeoutMs === undefined ? Promise.resolve().then(run) : withDeadline(run, timeoutMs)
  }

  const track = (work: Promise<void>) => {
    const p = work.catch(() => {
      // Background work must never surface as an unhandled rejection in the host.
    })
    pending.add(p)
    void p.finally(() => pending.delete(p))
  }

  const write = async (record: RecordedCall) => {
    // Arguments or a Python value the codec refused (a class instance, a function) make a record that cannot be
    // replayed: it is still written, with the reason, and counted so the report shows it.
    const unrecordable = isUnencodable(record.args) || 'unencodable' in record.python
    try {
      await recorder?.write(record)
      if (unrecordable) tally.addRecordError()
    } catch {
      tally.addRecordError()
    }
  }

  const baseRecord = (at: Date, args: A, py: SideResult, recordMode: RecordedCall['mode']): RecordedCall => ({
    v: 1,
    name,
    at: at.toISOString(),
    mode: recordMode,
    args: encodeArgs(args),
    python: recordSide(py),
  })

  async function compareInBackground(at: Date, args: A, py: SideResult, portRun: Promise<SideResult | undefined>): Promise<void> {
    const port = await portRun
    if (port === undefined) {
      tally.add({ pythonMs: py.ms, skipped: true }) // dropped by close() before it started
      return
    }
    const j = judge(py, port)
    tally.add({
      pythonMs: py.ms,
      portMs: port.ok || !port.timedOut ? port.ms : undefined,
      outcome: j.outcome,
      example: () => ({
        outcome: j.outcome,
        args: describe(args, 120),
        differences: j.differences,
        ...(j.ignoredBy ? { ignoredBy: j.ignoredBy } : {}),
      }),
    })
    if (!recorder) return
    const record: RecordedCall = { ...baseRecord(at, args, py, 'shadow'), port: recordSide(port), outcome: j.outcome }
    if (j.differences.length > 0) record.differences = j.differences
    if (j.ignoredBy) record.ignoredBy = j.ignoredBy
    await write(record)
  }

  /** Starts (or queues) one shadow call on the port, the caller having Python's answer already, and judges it when it answers. */
  function shadow(at: Date, args: A, py: SideResult, portArgs: A): void {
    backlog++
    const portRun = new Promise<SideResult | undefined>((resolve) => {
      const run = () => timed(() => callPort(portArgs, o.shadowTimeoutMs)).then((r) => r.side)
      if (!runner) {
        // An in-thread port shares the caller's thread, and a synchronous one cannot be cut by a timer: start it
        // once the caller has resumed (setImmediate runs after the microtasks that resume it).
        setImmediate(() => {
          resolve(run())
        })
        return
      }
      const start = () => {
        running++
        resolve(
          run().finally(() => {
            running--
            startWaiting()
          }),
        )
      }
      if (running < portThreads) start()
      else
        waiting.push({
          start,
          skip: () => {
            resolve(undefined)
          },
        })
    })
    track(compareInBackground(at, args, py, portRun).finally(() => backlog--))
  }

  async function call(...args: A): Promise<R> {
    if (mode === 'ts') {
      const t0 = performance.now()
      if (!o.fallback) {
        const value = await callPort(args)
        tally.add({ portMs: performance.now() - t0 })
        return value
      }
      let value: R
      try {
        value = await callPort(args)
      } catch {
        // fallback: 'python': any port fault (a throw, a crash, a timeout, an unusable value) runs the original
        tally.add({ fallback: true })
        return python(...args)
      }
      tally.add({ portMs: performance.now() - t0 })
      return value
    }
    // After close(), calls still get Python's result, but are neither shadowed nor recorded (the file is closed).
    const sampled = !closed && (internals.sampled ? internals.sampled() : o.sample >= 1 || (o.sample > 0 && o.random() < o.sample))
    const at = new Date()
    // Python gets the caller's own arguments, exactly as in python mode, and reads them first. Nothing here
    // reads them (copies them) until Python has answered: a getter or a Proxy in the arguments would otherwise
    // run one more time before Python reads it, and Python would see something else than in python mode.
    const py = internals.pythonSide ? internals.pythonSide() : await timed(() => python(...args))
    if (mode === 'python' || !sampled) {
      const recording = mode === 'python' && recorder !== undefined && sampled
      // close() may have come while Python ran: the record file is closed, so this call is not recorded.
      tally.add({ pythonMs: py.side.ms, skipped: recording && closed })
      if (recording && !closed) {
        const argsCopy = copy(args)
        const side = py.side.ok ? { ...py.side, value: copy(py.side.value) } : py.side
        // Encode and write after the caller has its result, never on its path.
        track(new Promise<void>((r) => setImmediate(r)).then(() => write(baseRecord(at, argsCopy, side, 'python'))))
      }
      if (py.side.ok) return py.side.value as R
      throw py.thrown
    }
    // Shadow: the port runs once Python has answered, on its own copy of the arguments; the caller never waits for
    // it. A full backlog (a port slower than the call rate) or a close() that came while Python ran skips it.
    if (closed || backlog >= o.maxShadowBacklog) {
      tally.add({ pythonMs: py.side.ms, skipped: true })
    } else {
      // Copied before the caller resumes, so what the caller changes later is neither compared nor recorded.
      const argsCopy = copy(args)
      // A WorkerPool copies arguments itself; an in-thread port gets its own copy: by mutating its input it must
      // not change what is recorded or described.
      const portArgs = runner ? argsCopy : copy(args)
      const compared = py.side.ok ? { ...py.side, value: copy(py.side.value) } : py.side
      shadow(at, argsCopy, compared, portArgs)
    }
    if (py.side.ok) return py.side.value as R
    throw py.thrown
  }

  const fn = call as HybridFunction<A, R>
  Object.defineProperties(fn, {
    name: { value: name },
    mode: { value: mode, enumerable: true },
    modeSource: { value: source, enumerable: true },
    report: { value: () => tally.report() },
    // A snapshot: under steady load new work keeps arriving, and waiting for it too would never end.
    settled: {
      value: async () => {
        await Promise.all([...pending])
      },
    },
    close: {
      value: async () => {
        closed = true
        for (const w of waiting.splice(0)) w.skip()
        await fn.settled()
        await recorder?.close()
      },
    },
  })
  const hooks: HybridHooks = {
    fellBack: (counted) => {
      if (counted) tally.addFallbackToCountedCall()
      else tally.add({ fallback: true })
    },
    skipped: (count, pythonMs) => {
      for (let i = 0; i < count; i++) tally.add({ skipped: true, pythonMs })
    },
  }
  return { fn, hooks }
}
