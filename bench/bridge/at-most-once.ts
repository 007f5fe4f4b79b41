/**
 * The at-most-once stress: 10 000 calls with random timeouts, each appending its id (and its interpreter's pid) to a
 * log file before it sleeps 0–20 ms (bench/bridge/stress.py), then the log is checked against what the host was told.
 *
 * Lanes: synchronous calls on a bridge with `concurrency: 1` (they queue behind each other in Python) and on one
 * with `concurrency: 4`, and `async def` calls on both. `--in-flight` calls (default 50) are kept running at once.
 * Timeouts: none (30 s), tiny (1–15 ms: mostly expire while queued), uniform (1–400 ms: queued, running or done),
 * "at the deadline" (the lane's recent latency × 0.7–1.3), and a few AbortSignals fired at random.
 *
 * Checks, all computed from the log and the outcomes: no id ran twice; no call rejected with
 * `inPython: 'not-started'` ran at all; every resolved call ran exactly once and got its own id back; a call reported
 * 'finished' (it returned as the timeout fired) ran exactly once; nothing hung; no unexpected error; every retired
 * interpreter was stopped once its last call ended (none left before close), and no process of any interpreter's
 * group is left after close. Exit code 1 if a check fails.
 *
 * Calls reported 'still-running' that never ran are counted, not failed: a thread may have been given the call and
 * its interpreter stopped (its last other call ended) before that thread wrote the log.
 *
 * Run: node dist/bench/bridge/at-most-once.js [--calls N] [--in-flight N] [--seed N] [--python PATH] [--json FILE]
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import { parseArgs } from 'node:util'
import { PythonBridge } from '../../src/bridge/bridge.js'
import { BridgeTimeoutError, type CancelledCallState } from '../../src/bridge/errors.js'
import type { PythonModule } from '../../src/bridge/module.js'
import { packageRoot } from '../../src/paths.js'

type Lane = 'c1-sync' | 'c4-sync' | 'c1-async' | 'c4-async'
type TimeoutClass = 'none' | 'tiny' | 'uniform' | 'deadline' | 'abort'
type Result = 'resolved' | 'timeout' | 'aborted' | 'error' | 'hung'

interface Plan {
  id: number
  lane: Lane
  sleepMs: number
  cls: TimeoutClass
  /** For 'abort': when the AbortSignal fires, from the call's start. */
  abortAfterMs?: number
}

interface CallRecord extends Plan {
  timeoutMs: number
  result: Result
  inPython?: CancelledCallState
  queued?: boolean
  /** The interpreter named by the error (a timeout that reached Python). */
  pid?: number | undefined
  error?: string
  /** What a resolved call returned (its id, if the reply is its own). */
  value?: unknown
  ms: number
  /** When the call was made and when it settled, in ms from the first call. */
  at: number
  endAt: number
  /** How many times the id is in the log. */
  ran?: number
}

const NO_TIMEOUT_MS = 30_000
/** A call unsettled this long is reported as hung (its longest timeout is 30 s, counted again after a re-send). */
const HUNG_MS = 120_000
const LANES: readonly [Lane, number][] = [
  ['c1-sync', 0.4],
  ['c4-sync', 0.4],
  ['c1-async', 0.1],
  ['c4-async', 0.1],
]
const CLASSES: readonly [TimeoutClass, number][] = [
  ['none', 0.45],
  ['tiny', 0.1],
  ['uniform', 0.25],
  ['deadline', 0.15],
  ['abort', 0.05],
]

/** mulberry32: a seeded generator, so a run's plan can be replayed with --seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32
  }
}

function pick<T>(random: () => number, table: readonly [T, number][]): T {
  let x = random()
  for (const [v, p] of table) {
    if ((x -= p) < 0) return v
  }
  // eslint-disable-next-line @typescript-eslint/no-non-null-assertion -- the tables (LANES, CLASSES above) are constants, none of them empty
  return table.at(-1)![0]
}

function makePlans(calls: number, random: () => number): Plan[] {
  return Array.from({ length: calls }, (_, i) => {
    const cls = pick(random, CLASSES)
    const plan: Plan = { id: i + 1, lane: pick(random, LANES), sleepMs: Math.round(random() * 20), cls }
    if (cls === 'abort') plan.abortAfterMs = Math.round(random() * 300)
    return plan
  })
}

/** The pids of this process's children (the interpreters; Linux /proc). */
function childPids(): number[] {
  const out: number[] = []
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    const stat = procStat(Number(name))
    if (stat && stat.ppid === process.pid && stat.state !== 'Z') out.push(Number(name))
  }
  return out
}

/** Processes (not zombies) whose process group is one of `groups`: what an interpreter left behind. */
function processesInGroups(groups: Set<number>): { pid: number; pgrp: number; comm: string }[] {
  const out: { pid: number; pgrp: number; comm: string }[] = []
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    const stat = procStat(Number(name))
    if (stat && groups.has(stat.pgrp) && stat.state !== 'Z') out.push({ pid: Number(name), pgrp: stat.pgrp, comm: stat.comm })
  }
  return out
}

function procStat(pid: number): { comm: string; state: string; ppid: number; pgrp: number } | undefined {
  let text: string
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8')
  } catch {
    return undefined
  }
  const close = text.lastIndexOf(')')
  const [state, ppid, pgrp] = text.slice(close + 2).split(' ')
  return { comm: text.slice(text.indexOf('(') + 1, close), state: state ?? '', ppid: Number(ppid), pgrp: Number(pgrp) }
}

/** id -> the pids of the interpreters that ran it (one per log line). */
function readLog(file: string): Map<number, number[]> {
  const ran = new Map<number, number[]>()
  if (!existsSync(file)) return ran
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line) continue
    const [id, pid] = line.split(' ').map(Number) as [number, number]
    const list = ran.get(id)
    if (list) list.push(pid)
    else ran.set(id, [pid])
  }
  return ran
}

const fmtS = (ms: number) => `${(ms / 1000).toFixed(1)} s`

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      calls: { type: 'string' },
      'in-flight': { type: 'string' },
      seed: { type: 'string' },
      python: { type: 'string' },
      json: { type: 'string' },
    },
  })
  const calls = Number(values.calls ?? 10_000)
  const inFlight = Number(values['in-flight'] ?? 50)
  const seed = Number(values.seed ?? Math.floor(Math.random() * 2 ** 31))
  for (const [name, v, min] of [
    ['--calls', calls, 1],
    ['--in-flight', inFlight, 1],
    ['--seed', seed, 0],
  ] as const) {
    if (!Number.isSafeInteger(v) || v < min) throw new Error(`${name} must be a whole number >= ${min}, got ${String(v)}`)
  }
  const random = rng(seed)
  const plans = makePlans(calls, random)
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pyport-at-most-once-'))
  const logFile = path.join(dir, 'ran.log')
  const t0 = performance.now()

  const common = { python: values.python, timeoutMs: NO_TIMEOUT_MS, forwardStderr: false }
  const bridges = { c1: new PythonBridge({ ...common, concurrency: 1 }), c4: new PythonBridge({ ...common, concurrency: 4 }) }
  const fixture = path.join(packageRoot, 'bench', 'bridge', 'stress.py')
  const mods: Record<'c1' | 'c4', PythonModule> = { c1: await bridges.c1.import(fixture), c4: await bridges.c4.import(fixture) }

  /** Every interpreter pid seen: from the bridges, from errors, from the log. */
  const pidsSeen = new Set<number>()
  const notePids = () => {
    for (const b of Object.values(bridges)) if (b.pid !== undefined) pidsSeen.add(b.pid)
  }
  notePids()
  let maxChildren = 0
  let maxChildrenAt = 0
  const monitor = setInterval(() => {
    notePids()
    const n = childPids().length
    if (n > maxChildren) {
      maxChildren = n
      maxChildrenAt = done
    }
  }, 100)

  /** Recent latency of resolved calls per lane, for the "at the deadline" timeouts. */
  const latency: Record<Lane, number> = { 'c1-sync': 100, 'c4-sync': 20, 'c1-async': 15, 'c4-async': 15 }
  const records: CallRecord[] = []
  const unsettled = new Map<number, { plan: Plan; since: number }>()
  let done = 0
  let hung = false

  const tCalls = performance.now()
  const runOne = async (plan: Plan): Promise<CallRecord> => {
    const mod = plan.lane.startsWith('c1') ? mods.c1 : mods.c4
    const fn = plan.lane.endsWith('async') ? 'work_async' : 'work'
    let timeoutMs = NO_TIMEOUT_MS
    if (plan.cls === 'tiny') timeoutMs = 1 + Math.floor(random() * 15)
    else if (plan.cls === 'uniform') timeoutMs = 1 + Math.floor(random() * 400)
    else if (plan.cls === 'deadline') timeoutMs = Math.max(1, Math.round(latency[plan.lane] * (0.7 + 0.6 * random())))
    let signal: AbortSignal | undefined
    let abortTimer: NodeJS.Timeout | undefined
    if (plan.abortAfterMs !== undefined) {
      const ac = new AbortController()
      signal = ac.signal
      abortTimer = setTimeout(() => {
        ac.abort(new Error('stress: aborted'))
      }, plan.abortAfterMs)
    }
    const start = performance.now()
    unsettled.set(plan.id, { plan, since: start })
    const rec: CallRecord = { ...plan, timeoutMs, result: 'resolved', ms: 0, at: start - tCalls, endAt: 0 }
    try {
      rec.value = await mod.call(fn, [logFile, plan.id, plan.sleepMs / 1000], { timeoutMs, signal })
      rec.ms = performance.now() - start
      latency[plan.lane] = 0.8 * latency[plan.lane] + 0.2 * rec.ms
    } catch (err) {
      rec.ms = performance.now() - start
      if (err instanceof BridgeTimeoutError) {
        rec.result = 'timeout'
        rec.inPython = err.inPython
        rec.queued = err.queued
        rec.pid = err.pid
        if (err.pid !== undefined) pidsSeen.add(err.pid)
      } else if (signal?.aborted && err === signal.reason) {
        rec.result = 'aborted'
      } else {
        rec.result = 'error'
        rec.error = err instanceof Error ? `${err.name}: ${err.message}` : String(err)
      }
    } finally {
      clearTimeout(abortTimer)
      unsettled.delete(plan.id)
      rec.endAt = performance.now() - tCalls
    }
    return rec
  }

  // `inFlight` workers, each taking the next planned call as soon as its last one settles
  let next = 0
  const progress = setInterval(() => {
    process.stderr.write(
      `${String(done).padStart(6)} / ${calls} settled  ${fmtS(performance.now() - tCalls)}  interpreters started ${bridges.c1.stats().interpreters.started + bridges.c4.stats().interpreters.started}\n`,
    )
  }, 10_000)
  const workers = Array.from({ length: inFlight }, async () => {
    while (next < plans.length && !hung) {
      const plan = plans[next++]
      if (plan === undefined) break
      const rec = await runOne(plan)
      records.push(rec)
      done++
    }
  })
  const watchdog = new Promise<void>((resolve) => {
    const t = setInterval(() => {
      const now = performance.now()
      for (const { since } of unsettled.values()) {
        if (now - since > HUNG_MS) {
          hung = true
          clearInterval(t)
          resolve()
          return
        }
      }
      if (done === calls) {
        clearInterval(t)
        resolve()
      }
    }, 1000)
  })
  await Promise.race([Promise.all(workers), watchdog])
  const callsMs = performance.now() - tCalls
  clearInterval(progress)
  const hungCalls: CallRecord[] = [...unsettled.values()].map(({ plan, since }) => ({
    ...plan,
    timeoutMs: NaN,
    result: 'hung' as const,
    ms: performance.now() - since,
    at: since - tCalls,
    endAt: NaN,
  }))
  // calls still pending now (hung) are rejected by close() below; they count as hung, not as what close() made of them
  const final = [...records, ...hungCalls]
  notePids()

  // Every retired interpreter must stop by itself once its last call has ended: wait for only the two current ones
  const current = () => new Set([bridges.c1.pid, bridges.c4.pid].filter((p): p is number => p !== undefined))
  const tRetire = performance.now()
  let leftBeforeClose = childPids().filter((p) => !current().has(p))
  while (leftBeforeClose.length > 0 && performance.now() - tRetire < 15_000) {
    await sleep(100)
    leftBeforeClose = childPids().filter((p) => !current().has(p))
  }
  const retiredGoneMs = performance.now() - tRetire
  clearInterval(monitor)
  const stats = { c1: bridges.c1.stats().interpreters, c4: bridges.c4.stats().interpreters }
  await Promise.all([bridges.c1.close(), bridges.c4.close()])

  // the log, complete now: every interpreter that ran a call is stopped
  const ran = readLog(logFile)
  for (const pids of ran.values()) for (const p of pids) pidsSeen.add(p)
  const tGroups = performance.now()
  let leftAfterClose = processesInGroups(pidsSeen)
  while (leftAfterClose.length > 0 && performance.now() - tGroups < 5000) {
    await sleep(100)
    leftAfterClose = processesInGroups(pidsSeen)
  }
  for (const r of final) r.ran = ran.get(r.id)?.length ?? 0
  const wallMs = performance.now() - t0

  // -- checks --------------------------------------------------------------------------------------------------
  const known = new Set(plans.map((p) => p.id))
  const where = (f: (r: CallRecord) => boolean) => final.filter(f)
  const checks: { name: string; failures: number; examples: unknown[] }[] = []
  const check = (name: string, bad: unknown[]) => checks.push({ name, failures: bad.length, examples: bad.slice(0, 10) })
  check(
    'no id ran twice',
    [...ran].filter(([, pids]) => pids.length > 1).map(([id, pids]) => ({ id, pids, call: final.find((r) => r.id === id) })),
  )
  check(
    'no call that timed out while queued (inPython: not-started) ran',
    where((r) => r.inPython === 'not-started' && (r.ran ?? 0) > 0),
  )
  check(
    'every resolved call ran exactly once',
    where((r) => r.result === 'resolved' && r.ran !== 1),
  )
  check(
    'every resolved call got its own id back',
    where((r) => r.result === 'resolved' && r.value !== r.id),
  )
  check(
    "every call reported 'finished' ran exactly once",
    where((r) => r.inPython === 'finished' && r.ran !== 1),
  )
  const stillRunningNeverRan = where((r) => r.inPython === 'still-running' && r.ran === 0)
  check(
    'the log holds only ids that were called',
    [...ran.keys()].filter((id) => !known.has(id)),
  )
  check('every call settled (none hung)', hungCalls)
  check(
    'no unexpected error (only timeouts and aborts)',
    where((r) => r.result === 'error'),
  )
  check('every retired interpreter stopped once its last call ended (before close)', leftBeforeClose)
  check("no process of any interpreter's group is left after close", leftAfterClose)
  const failed = checks.filter((c) => c.failures > 0)

  // -- figures -------------------------------------------------------------------------------------------------
  const outcome = (r: CallRecord) => (r.result === 'timeout' ? `timeout/${r.inPython}` : r.result)
  const byOutcome: Record<string, { calls: number; ran0: number; ran1: number; ranMore: number }> = {}
  const byLane: Record<string, Record<string, number>> = {}
  for (const r of final) {
    const o = outcome(r)
    const b = (byOutcome[o] ??= { calls: 0, ran0: 0, ran1: 0, ranMore: 0 })
    b.calls++
    if (r.ran === 0) b.ran0++
    else if (r.ran === 1) b.ran1++
    else b.ranMore++
    const l = (byLane[r.lane] ??= {})
    l[o] = (l[o] ?? 0) + 1
  }
  const byClass: Record<string, Record<string, number>> = {}
  for (const r of final) {
    const c = (byClass[r.cls] ??= {})
    c[outcome(r)] = (c[outcome(r)] ?? 0) + 1
  }
  const report = {
    calls,
    inFlight,
    seed,
    wallSeconds: wallMs / 1000,
    callsSeconds: callsMs / 1000,
    retiredGoneSeconds: retiredGoneMs / 1000,
    interpreters: stats,
    interpretersSeen: pidsSeen.size,
    maxLiveInterpreters: maxChildren,
    maxLiveInterpretersAtCall: maxChildrenAt,
    byOutcome,
    byLane,
    byClass,
    checks,
    stillRunningNeverRan: stillRunningNeverRan.length,
    ok: failed.length === 0,
    logFile,
    records: values.json ? final : undefined,
  }

  const lines: string[] = []
  lines.push(`at-most-once: ${calls} calls, ${inFlight} in flight, seed ${seed}: ${fmtS(callsMs)} of calls, ${fmtS(wallMs)} wall in all`)
  lines.push('  outcome                      calls   ran 0   ran 1   ran 2+')
  for (const [o, b] of Object.entries(byOutcome).sort()) {
    lines.push(
      `  ${o.padEnd(26)} ${String(b.calls).padStart(7)} ${String(b.ran0).padStart(7)} ${String(b.ran1).padStart(7)} ${String(b.ranMore).padStart(8)}`,
    )
  }
  lines.push('  per lane:')
  for (const [l, counts] of Object.entries(byLane).sort())
    lines.push(
      `    ${l.padEnd(9)} ${Object.entries(counts)
        .sort()
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
    )
  lines.push('  per timeout class:')
  for (const [c, counts] of Object.entries(byClass).sort())
    lines.push(
      `    ${c.padEnd(9)} ${Object.entries(counts)
        .sort()
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
    )
  for (const [k, s] of Object.entries(stats)) {
    lines.push(`  interpreters (${k}, concurrency ${s.concurrency}): started ${s.started}, replaced ${s.replaced}, crashed ${s.crashed}`)
  }
  lines.push(
    `  interpreters seen ${pidsSeen.size}; at most ${maxChildren} alive at once (sampled every 100 ms); retired ones all gone ${fmtS(retiredGoneMs)} after the last call`,
  )
  lines.push('  checks:')
  for (const c of checks)
    lines.push(
      `    ${c.failures === 0 ? 'ok  ' : 'FAIL'} ${c.name}${c.failures ? ` (${c.failures}; e.g. ${JSON.stringify(c.examples.slice(0, 3))})` : ''}`,
    )
  if (stillRunningNeverRan.length > 0) {
    lines.push(
      `  note: ${stillRunningNeverRan.length} call(s) reported 'still-running' never ran (ids ${stillRunningNeverRan
        .slice(0, 10)
        .map((r) => r.id)
        .join(', ')}${stillRunningNeverRan.length > 10 ? ', …' : ''})`,
    )
  }
  lines.push(failed.length === 0 ? 'all checks passed' : `${failed.length} check(s) FAILED; log kept at ${logFile}`)
  console.log(lines.join('\n'))
  if (values.json) writeFileSync(values.json, JSON.stringify(report, null, 2) + '\n')
  if (failed.length > 0) process.exitCode = 1
  else rmSync(dir, { recursive: true, force: true })
}

await main()
