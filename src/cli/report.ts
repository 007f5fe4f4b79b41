import { writeFile } from 'node:fs/promises'
import { CorpusError } from '../hybrid/errors.js'
import { renderReport } from '../hybrid/render.js'
import { summariseRecords } from '../hybrid/summarise.js'
import { parseCommandArgs, parseInteger } from './args.js'
import { RunFailedError, UsageError, type Command } from './command.js'

const help = `pyport report — summarise shadow-mode records: matches, mismatches, latency, speed-up, verdict

Usage: pyport report FILE.jsonl... [--ready-after N] [--json FILE]

Reads the JSONL files hybrid() writes with { record: FILE } and prints, per function: calls, compared calls,
matches, mismatches, ignored, port errors and timeouts, p50/p99 latency of Python and of the port, the
speed-up, the verdict ("ready to switch" only after N matched calls and no mismatch) and the first
mismatches with the path where the results differ.

Options:
  --ready-after N   matched calls needed for "ready to switch" (default: 100)
  --json FILE       also write the summary as JSON ("-": JSON on stdout instead of text)

Example:
  pyport report shadow.jsonl

Exit codes: 0 no mismatch, 1 a mismatch, port error, timeout or corrupt line, 2 bad usage.`

export const reportCommand: Command = {
  name: 'report',
  summary: 'summarise shadow-mode records: parity, latency, speed-up and a switch verdict per function',
  help,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs('report', argv, { 'ready-after': { type: 'string' }, json: { type: 'string' } }, true)
    if (positionals.length === 0) throw new UsageError('pyport report: give at least one record file. Example: pyport report shadow.jsonl')
    if (values.json === '') throw new UsageError('pyport report: --json needs a file name (or - for stdout).')
    const readyAfter = parseInteger('report', 'ready-after', values['ready-after'], 100, 1)
    let summary
    try {
      summary = await summariseRecords(positionals, readyAfter)
    } catch (err) {
      if (err instanceof CorpusError) throw new RunFailedError(err.message)
      throw err
    }
    if (values.json === '-') io.stdout.write(`${JSON.stringify(summary, null, 2)}\n`)
    else {
      const text = summary.reports.map((r) => renderReport(r)).join('\n')
      io.stdout.write(text)
      for (const b of summary.badLines.slice(0, 10)) io.stdout.write(`${b.file}:${b.line}: ${b.message}\n`)
      if (summary.badLines.length > 10) io.stdout.write(`… ${summary.badLines.length - 10} more bad lines\n`)
      if (summary.records === 0) io.stdout.write('no records found\n')
      if (values.json !== undefined) await writeFile(values.json, `${JSON.stringify(summary, null, 2)}\n`)
    }
    const failed = summary.badLines.length > 0 || summary.reports.some((r) => r.mismatches + r.portErrors + r.portTimeouts > 0)
    return failed ? 1 : 0
  },
}
