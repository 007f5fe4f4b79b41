import { writeFile } from 'node:fs/promises'
import { PyportOptionError } from '../errors.js'
import { CorpusError } from '../hybrid/errors.js'
import { renderReport } from '../hybrid/render.js'
import { replayCorpus, type VerifyReport } from '../hybrid/replay.js'
import { PortLoadError } from '../workers/errors.js'
import { parsePortSpec } from '../workers/port-file.js'
import { parseCommandArgs, parseInteger } from './args.js'
import { RunFailedError, UsageError, type Command } from './command.js'

const help = `pyport verify — replay recorded Python calls against a TypeScript port, for CI

Usage: pyport verify --corpus FILE.jsonl --port FILE.js[#export] [options]

Each record's arguments are sent to the port (in a worker pool); its result is compared with the result
Python gave when the call was recorded (deep equality, floats exact unless --rtol/--atol).

Options:
  --corpus FILE       JSONL records, from hybrid({ mode: 'python', record: FILE }) or shadow mode
  --port FILE#NAME    the compiled port module and its export (default export without #NAME)
  --name NAME         replay only the calls of this function (needed when the corpus holds several)
  --threads N         worker threads (default: available parallelism)
  --timeout-ms N      per-call timeout for the port, from when it starts on a thread (default: 10000)
  --rtol X            relative float tolerance (default: 0, exact)
  --atol X            absolute float tolerance (default: 0)
  --ignore-path PAT   accept differences under this path, e.g. '$[*].score' (repeatable)
  --ready-after N     matched calls the verdict needs for "ready to switch" (default: 100)
  --json FILE         also write the full result as JSON ("-": JSON on stdout instead of text)
  --quiet             no progress on stderr

Example:
  pyport verify --corpus corpus.jsonl --port dist/ports/rank.js#rankDocuments

Exit codes: 0 every call matched, 1 a mismatch, port error, timeout or corrupt line (or nothing to replay),
2 bad usage or a port that cannot load.`

function parseTolerance(flag: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined
  const n = Number(raw)
  if (raw.trim() === '' || !Number.isFinite(n) || n < 0)
    throw new UsageError(`pyport verify: --${flag} expects a number >= 0, got "${raw}". Example: --${flag} 1e-9.`)
  return n
}

function renderVerify(r: VerifyReport): string {
  const head = `${r.name} — ${r.corpus} replayed against ${r.portFile}${r.exportName === 'default' ? '' : `#${r.exportName}`} on ${r.threads} threads`
  const lines = [renderReport(r, head).trimEnd()]
  lines.push(
    `  replayed ${r.shadowed} calls in ${r.seconds.toFixed(2)} s: ${Math.round(r.callsPerSecond)} calls/s${r.skipped > 0 ? ` (${r.skipped} records skipped)` : ''}`,
  )
  lines.push('  (python latency as recorded; port latency measured inside the worker, without queueing or transfer)')
  for (const b of r.badLines.slice(0, 10)) lines.push(`  line ${b.line}: ${b.message}`)
  if (r.badLines.length > 10) lines.push(`  … ${r.badLines.length - 10} more bad lines`)
  lines.push(
    r.passed
      ? 'PASS'
      : `FAIL${r.badLines.length > 0 ? `: ${r.badLines.length} bad corpus lines` : ''}${r.shadowed === 0 ? ': nothing replayed' : ''}`,
  )
  return `${lines.join('\n')}\n`
}

export const verifyCommand: Command = {
  name: 'verify',
  summary: 'replay a recorded corpus of Python calls against a TS port: parity and speed (exit 1 on mismatch)',
  help,
  async run(argv, io) {
    const { values } = parseCommandArgs('verify', argv, {
      corpus: { type: 'string' },
      port: { type: 'string' },
      name: { type: 'string' },
      threads: { type: 'string' },
      'timeout-ms': { type: 'string' },
      rtol: { type: 'string' },
      atol: { type: 'string' },
      'ignore-path': { type: 'string', multiple: true },
      'ready-after': { type: 'string' },
      json: { type: 'string' },
      quiet: { type: 'boolean' },
    })
    if (!values.corpus)
      throw new UsageError(
        'pyport verify: --corpus FILE.jsonl is required. Example: pyport verify --corpus corpus.jsonl --port dist/ports/rank.js#rank',
      )
    if (!values.port)
      throw new UsageError('pyport verify: --port FILE.js[#export] is required. Example: --port dist/ports/rank.js#rankDocuments')
    if (values.json === '') throw new UsageError('pyport verify: --json needs a file name (or - for stdout).')
    const threads = values.threads === undefined ? undefined : parseInteger('verify', 'threads', values.threads, 2, 1)
    const timeoutMs = parseInteger('verify', 'timeout-ms', values['timeout-ms'], 10_000, 1)
    const readyAfter = parseInteger('verify', 'ready-after', values['ready-after'], 100, 1)
    const rtol = parseTolerance('rtol', values.rtol)
    const atol = parseTolerance('atol', values.atol)
    const ignore = (values['ignore-path'] ?? []).map((p) => ({ reason: `--ignore-path ${p}`, path: p }))
    let report: VerifyReport
    try {
      report = await replayCorpus({
        corpus: values.corpus,
        port: parsePortSpec(values.port),
        name: values.name || undefined, // --name '' is no name: every record, as before
        threads,
        timeoutMs,
        readyAfter,
        compare: { rtol, atol },
        ignore,
        progress: values.quiet ? undefined : (n) => io.stderr.write(`  … ${n} calls replayed\n`),
      })
    } catch (err) {
      if (err instanceof PortLoadError) throw new UsageError(`pyport verify: ${err.message}`)
      if (err instanceof CorpusError) throw new RunFailedError(err.message)
      // a bad --ignore-path, --rtol or --atol (or any other option replayCorpus refuses): bad usage, exit 2
      if (err instanceof PyportOptionError) throw new UsageError(`pyport verify: ${err.message}`)
      throw err
    }
    if (values.json === '-') io.stdout.write(`${JSON.stringify(report, null, 2)}\n`)
    else {
      io.stdout.write(renderVerify(report))
      if (values.json !== undefined) await writeFile(values.json, `${JSON.stringify(report, null, 2)}\n`)
    }
    return report.passed ? 0 : 1
  },
}
