import type { HybridReport, Latency } from './tally.js'

function ms(x: number): string {
  return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x >= 1 ? x.toFixed(2) : x.toFixed(3)
}

function latency(l: Latency | null): string {
  return l ? `p50 ${ms(l.p50Ms)} ms, p99 ${ms(l.p99Ms)} ms (${l.n} calls)` : '–'
}

/** The plain-text form of a report, as `pyport report`, `pyport verify` and the example print it. */
export function renderReport(r: HybridReport, heading = r.name): string {
  const lines = [
    heading,
    `  calls ${r.calls}, compared ${r.shadowed}: ${r.matches} matched, ${r.mismatches} mismatched, ${r.ignored} ignored, ${r.portErrors} port errors, ${r.portTimeouts} port timeouts${r.skipped > 0 ? `, ${r.skipped} skipped (not compared)` : ''}${r.fallbacks > 0 ? `, ${r.fallbacks} fell back to Python` : ''}`,
    `  python  ${latency(r.python)}`,
    `  port    ${latency(r.port)}`,
  ]
  if (r.speedup !== null) lines.push(`  speed-up (p50 python / p50 port): ${r.speedup.toFixed(r.speedup >= 100 ? 0 : 1)}×`)
  if (r.recordErrors > 0)
    lines.push(
      `  ${r.recordErrors} records could not be written, or could not hold their arguments or Python value (class instances, functions)`,
    )
  lines.push(`  verdict: ${r.verdict.text}`)
  for (const e of r.examples) {
    lines.push(`  ${e.outcome}${e.source ? ` at ${e.source}` : ''}: args ${e.args}${e.ignoredBy ? ` — ignored: ${e.ignoredBy}` : ''}`)
    for (const d of e.differences.slice(0, 3)) lines.push(`      ${d.path}: python ${d.python}, port ${d.port}`)
    if (e.differences.length > 3) lines.push(`      … ${e.differences.length - 3} more differences`)
  }
  return `${lines.join('\n')}\n`
}
