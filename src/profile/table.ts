import { count, duration, location, pct } from './format.js'
import { EVENT_LOOP_KEY } from './analyse.js'
import { withInner } from './nesting.js'
import { BRIDGE_KIND_TEXT } from './port-call-cost.js'
import type { Advice, FunctionProfile, ProfileReport } from './types.js'

const CLASS_LABEL = { cpu: 'CPU', io: 'I/O', mixed: 'mixed', unknown: '–' } as const

function exitLine(r: ProfileReport): string {
  const e = r.exit
  if (e.signal) return `killed by ${e.signal}`
  if (e.reason === 'exception') return `exit ${e.code} (raised ${e.exception ?? 'an exception'})`
  if (e.reason === 'sys.exit') return `exit ${e.code} (sys.exit)`
  return `exit ${e.code}`
}

/** Where a function's self CPU went, its largest parts: "own 99 %", "fakedoc 83 % · own 12 %", "import 95 %". */
export function cpuIn(f: FunctionProfile): string {
  const total = f.self.cpuS
  if (!(total > 0)) return '–'
  const s = f.selfCpuIn
  const parts: [string, number][] = [['own', s.ownS], ['stdlib', s.stdlibS], ['import', s.importS], ...Object.entries(s.packages)]
  const big = parts
    .filter(([, x]) => x >= 0.05 * total)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 2)
  return big.length ? big.map(([name, x]) => `${name} ${pct(x / total)}`).join(' · ') : '–'
}

/** The human view: a header, the top N port candidates with one advice line each, and the method. */
export function renderProfileTable(r: ProfileReport, top = 10, cwd = process.cwd()): string {
  const t = r.totals
  const lines: string[] = []
  lines.push(
    `pyport profile: ${r.target} — ${exitLine(r)}, wall ${duration(t.wallS)}, CPU ${duration(t.cpuS)}, ` +
      `${t.threads} thread${t.threads === 1 ? '' : 's'}, ${t.samples} samples${t.samples > 0 ? ` ~${duration(t.wallS / t.samples)} apart` : ''} (Python ${r.python})`,
  )
  const c = r.calibration
  lines.push(
    `calibration: ${c.source.speedup === 'option' ? `speed-up ${c.speedup}× (--speedup)` : `TypeScript ${c.speedup.toFixed(1)}× faster than Python`}, ` +
      `bridge ${c.bridgeUs.toFixed(0)} µs a call${c.source.bridgeUs === 'option' ? ' (--bridge-us)' : c.bridgeKind ? ` (${BRIDGE_KIND_TEXT[c.bridgeKind]})` : ''}`,
  )
  const sampledWall = r.functions.reduce((sum, f) => sum + f.self.wallS, 0)
  if (sampledWall > 0 && t.coreS / sampledWall >= 0.05) {
    lines.push(
      `machine busy: threads waited ${pct(t.coreS / sampledWall)} of their time for a CPU core (other processes had them); ` +
        'that wait is neither GIL nor I/O and is left out of both columns',
    )
  }
  const loop = r.functions.find((f) => f.key === EVENT_LOOP_KEY)
  if (loop) {
    lines.push(
      `asyncio: the event loop itself took ${duration(loop.self.wallS)} (${duration(loop.self.ioS)} waiting for something to do, ` +
        `${duration(loop.self.cpuS)} of its own CPU): nobody's code to port; each task's waits are charged to the coroutine awaiting`,
    )
  }
  lines.push('')
  const byKey = new Map(r.functions.map((f) => [f.key, f]))
  // nested functions and lambdas are listed under the function a port of them replaces, not ranked on their own
  const ranked = r.advice.filter((a) => a.verdict !== 'port-enclosing')
  const innerRows = (a: Advice) => r.advice.filter((x) => x.verdict === 'port-enclosing' && x.portEnclosing === a.name && sameFile(x, a))
  const sameFile = (x: Advice, y: Advice) => byKey.get(x.key)?.file === byKey.get(y.key)?.file
  const shown = ranked.slice(0, top)
  if (shown.length === 0) {
    lines.push('No samples landed in your own code: the program was too short, or all its time was in library code.')
    return lines.join('\n') + '\n'
  }
  // GIL wait and I/O wait are shares of the function's own (self) wall time, like its class
  const header = ['#', 'function', 'calls', 'self CPU', '%CPU', 'CPU in', 'GIL wait', 'I/O wait', 'cum wall', 'class', 'saved if ported']
  const share = (part: number, f: FunctionProfile | undefined) => (f && f.self.wallS > 0 ? pct(part / f.self.wallS) : '–')
  const innerOf = (a: Advice) =>
    (a.inner ?? []).map((name) => r.functions.find((g) => g.name === name && g.file === byKey.get(a.key)?.file))
  const row = (a: Advice, label: string, indent: string): string[] => {
    const own = byKey.get(a.key)
    // a function with lambdas or nested functions is shown as its port would be judged: with them
    const f =
      own && a.inner
        ? withInner(
            own,
            innerOf(a).filter((g): g is FunctionProfile => g !== undefined),
            t.intervalMs / 1000,
          )
        : own
    const where = f ? location(f.file, f.line, cwd) : ''
    return [
      label,
      `${indent}${a.name}  ${where}`,
      f?.calls === null || f === undefined ? '–' : count(f.calls),
      f ? duration(f.self.cpuS) : '–',
      f ? pct(f.selfCpuShare) : '–',
      f ? cpuIn(f) : '–',
      share(f?.self.gilS ?? 0, f),
      share(f?.self.ioS ?? 0, f),
      f ? duration(f.cum.wallS) : '–',
      f ? CLASS_LABEL[f.class] : '–',
      a.savedS > 0 ? `${duration(a.savedS)} (${pct(a.savedShare)} of wall)` : '–',
    ]
  }
  const entries: { cells: string[]; advice: Advice; inner: boolean }[] = []
  shown.forEach((a, i) => {
    entries.push({ cells: row(a, String(i + 1), ''), advice: a, inner: false })
    for (const x of innerRows(a)) entries.push({ cells: row(x, '', '└ '), advice: x, inner: true })
  })
  const widths = header.map((h, i) => Math.max(h.length, ...entries.map((e) => (e.cells[i] ?? '').length)))
  const right = new Set([0, 2, 3, 4, 6, 7, 8])
  const fmt = (cells: string[]) =>
    cells
      .map((cell, i) => (right.has(i) ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd()
  lines.push(fmt(header))
  const pad = ' '.repeat((widths[0] ?? 1) + 2)
  for (const e of entries) {
    lines.push(fmt(e.cells))
    const more = e.inner ? '  ' : ''
    lines.push(`${pad}${more}→ ${e.advice.reason}`)
    if (e.advice.estimate && (e.advice.savedS > 0 || e.advice.verdict === 'library')) lines.push(`${pad}${more}  ${e.advice.estimate}`)
  }
  if (ranked.length > top) lines.push('', `${ranked.length - top} more function(s): --top ${ranked.length} or --json FILE for all.`)
  lines.push('')
  for (const n of r.notes) lines.push(n)
  return lines.join('\n') + '\n'
}
