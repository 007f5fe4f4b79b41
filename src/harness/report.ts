import { speedRatio, summarise } from './stats.js'
import type { BenchReport, MachineInfo, RatioRow, ResultRow, SuiteOutput } from './types.js'

/** Turns a suite's raw samples into the report every reporter (table, JSON, markdown) prints. */
export function buildReport(suite: string, machine: MachineInfo, out: SuiteOutput): BenchReport {
  const results: ResultRow[] = out.measurements.map((m) => {
    const samples = out.samples[m.id] ?? []
    if (samples.length === 0) throw new Error(`suite ${suite}: no samples for ${m.id}`)
    const runs = samples.map((s) => s.seconds)
    const s = summarise(runs)
    const row: ResultRow = {
      id: m.id,
      lang: m.lang,
      title: m.title,
      median_s: s.median,
      min_s: s.min,
      max_s: s.max,
      runs,
    }
    const sum = samples[samples.length - 1]?.sum
    if (sum !== undefined) row.sum = sum
    if (m.note) row.note = m.note
    if (m.kind) row.kind = m.kind
    return row
  })
  const byId = new Map(results.map((r) => [r.id, r]))
  const ratios: RatioRow[] = out.ratios.map(({ of, vs }) => {
    const a = byId.get(of)
    const b = byId.get(vs)
    if (!a || !b) throw new Error(`suite ${suite}: ratio ${of} vs ${vs} names an unknown measurement`)
    const r = speedRatio(a.runs, b.runs)
    return { of, vs, median: r.median, min: r.min, max: r.max, stddev: r.stddev }
  })
  const report: BenchReport = { suite, machine, settings: out.settings, results, ratios, checks: out.checks, notes: out.notes }
  if (out.scaling) report.scaling = out.scaling
  return report
}
