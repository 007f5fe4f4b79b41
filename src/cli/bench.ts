import { writeFile } from 'node:fs/promises'
import { resolveInterpreter } from '../bridge/interpreter.js'
import { PythonNotFoundError } from '../bridge/errors.js'
import { machineInfo } from '../harness/machine.js'
import { createProgress } from '../harness/progress.js'
import { buildReport } from '../harness/report.js'
import { renderJson } from '../harness/reporters/json.js'
import { renderHtml } from '../harness/reporters/html.js'
import { renderMarkdown } from '../harness/reporters/markdown.js'
import { renderTable } from '../harness/reporters/table.js'
import { suiteNames, suites } from '../harness/suites.js'
import { parseCommandArgs, parseInteger, parsePositiveNumber } from './args.js'
import { RunFailedError, UsageError, type Command } from './command.js'

const help = () => `pyport bench — measure Python against its TypeScript port, side by side, in one run

Usage: pyport bench [--suite NAME] [options]

Suites:
${suiteNames().map((n) => `  ${n.padEnd(9)} ${suites[n]?.summary ?? ''}`).join('\n')}

Options:
  --suite NAME       which suite to run (default: article)
  --runs N           timed runs per measurement, after the warm-up (default: 5)
  --warmup N         untimed warm-up runs per measurement (default: 1; 0 allowed)
  --python PATH      Python interpreter (default: $PYPORT_PYTHON, else python3)
  --limit N          CPU workload size: primes below N, >= 1000 (default: 200000, the article's LIMIT)
  --io-seconds S     length of one simulated request (default: 1, the article's)
  --json FILE        also write the full report as JSON (FILE "-" writes it to stdout instead of the table)
  --markdown FILE    also write the report as a markdown table
  --html FILE        also write a self-contained HTML page (bars on a log scale) to open in a browser
  --quiet            no progress lines on stderr
  -h, --help         this help

Every measurement reports median, min and max over its runs; ratios are "median ± sd × faster" over paired
runs (run i of each side measured in the same round). Every TypeScript sum is checked against the sum the
Python algorithm computes: a mismatch fails the run (exit 1).

Examples:
  pyport bench                                   the article suite, 5 runs each
  pyport bench --runs 10 --json bench.json       more runs, keep the numbers
  pyport bench --limit 20000 --runs 1 --io-seconds 0.05   a quick smoke run
  PYPORT_PYTHON=/usr/bin/python3.12 pyport bench --markdown results.md
  pyport bench --suite bridge --html bridge.html  another suite, as a page

Exit codes: 0 all checks passed, 1 a run or check failed, 2 bad usage.`

export const benchCommand: Command = {
  name: 'bench',
  summary: 'run a benchmark suite: Python vs TypeScript, medians and ratios (article, …)',
  get help() {
    return help()
  },
  async run(argv, io) {
    const { values } = parseCommandArgs('bench', argv, {
      suite: { type: 'string' },
      runs: { type: 'string' },
      warmup: { type: 'string' },
      python: { type: 'string' },
      limit: { type: 'string' },
      'io-seconds': { type: 'string' },
      json: { type: 'string' },
      markdown: { type: 'string' },
      html: { type: 'string' },
      quiet: { type: 'boolean' },
    })
    const suiteName = values.suite ?? 'article'
    const entry = suites[suiteName]
    if (!entry) {
      throw new UsageError(`pyport bench: unknown suite "${suiteName}". Available: ${suiteNames().join(', ')}. Example: --suite article.`)
    }
    const runs = parseInteger('bench', 'runs', values.runs, 5, 1)
    const warmup = parseInteger('bench', 'warmup', values.warmup, 1, 0)
    const limit = parseInteger('bench', 'limit', values.limit, 200_000, 1000)
    const ioSeconds = parsePositiveNumber('bench', 'io-seconds', values['io-seconds'], 1, 60)
    if (values.json === '' || values.markdown === '' || values.html === '') {
      throw new UsageError('pyport bench: --json, --markdown and --html need a file name.')
    }

    let interpreter
    try {
      interpreter = await resolveInterpreter(values.python)
    } catch (err) {
      if (err instanceof PythonNotFoundError) throw new RunFailedError(err.message)
      throw err
    }

    const progress = createProgress(io.stderr, values.quiet === true)
    const suite = await entry.load()
    let report
    try {
      const out = await suite.run({
        python: interpreter.path,
        runs,
        warmup,
        options: { limit, ioSeconds },
        progress: (m) => progress.update(m),
      })
      report = buildReport(suite.name, machineInfo(interpreter.version), out)
    } finally {
      progress.done()
    }

    const jsonToStdout = values.json === '-'
    if (!jsonToStdout) io.stdout.write(renderTable(report))
    if (values.json !== undefined) {
      if (jsonToStdout) io.stdout.write(renderJson(report))
      else await writeFile(values.json, renderJson(report))
    }
    if (values.markdown !== undefined) await writeFile(values.markdown, renderMarkdown(report))
    if (values.html !== undefined) await writeFile(values.html, renderHtml(report))
    const failed = report.checks.filter((c) => !c.ok)
    if (failed.length > 0) {
      io.stderr.write(`pyport bench: ${failed.length} check(s) failed: ${failed.map((c) => c.name).join(', ')}\n`)
      return 1
    }
    return 0
  },
}
