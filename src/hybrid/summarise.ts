import { readRecords } from './corpus.js'
import { describe } from './describe.js'
import { decodeRecordValue } from './record-codec.js'
import type { RecordedCall } from './record-types.js'
import { Tally, type HybridReport } from './tally.js'

export interface FileBadLine {
  file: string
  line: number
  message: string
}

export interface RecordsSummary {
  /** One report per function name, in order of first appearance. */
  reports: HybridReport[]
  badLines: FileBadLine[]
  records: number
}

function argsText(rec: RecordedCall): string {
  try {
    return describe(decodeRecordValue(rec.args), 120)
  } catch {
    return JSON.stringify(rec.args).slice(0, 120)
  }
}

/** Summarises recorded calls (shadow and python mode) the way fn.report() does live: `pyport report`. */
export async function summariseRecords(files: readonly string[], readyAfter = 100): Promise<RecordsSummary> {
  const tallies = new Map<string, Tally>()
  const badLines: FileBadLine[] = []
  let records = 0
  for (const file of files) {
    for await (const entry of readRecords(file)) {
      if ('error' in entry) {
        badLines.push({ file, line: entry.line, message: entry.error })
        continue
      }
      records++
      const rec = entry.record
      let t = tallies.get(rec.name)
      if (!t) tallies.set(rec.name, (t = new Tally(rec.name, readyAfter)))
      const port = rec.port
      t.add({
        pythonMs: rec.python.ms,
        portMs: port && !(!port.ok && port.timedOut) ? port.ms : undefined,
        outcome: rec.outcome,
        example: () => ({
          outcome: rec.outcome ?? 'match',
          args: argsText(rec),
          differences: rec.differences ?? [],
          source: `${file}:${entry.line}`,
          ...(rec.ignoredBy ? { ignoredBy: rec.ignoredBy } : {}),
        }),
      })
    }
  }
  return { reports: [...tallies.values()].map((t) => t.report()), badLines, records }
}
