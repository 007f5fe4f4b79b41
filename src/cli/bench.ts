import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { resolveInterpreter } from '../bridge/interpreter.js'
import { PythonNotFoundError } from '../bridge/errors.js'
import { machineInfo } from '../harness/machine.js'
import { createProgress } from '../harness/progress.js'
import { buildReport } from '../harness/report.js'
import { renderJson } from '../harness/reporters/json.js'
import { renderHtml } from '../harness/reporters/html.js'
import { renderMarkdown } from '../harness/reporters/markdown.js'
import { renderTable } from '../harness/reporters/table.js'
import type { SuiteEntry } from '../harness/types.js'
import { packageRoot } from '../paths.js'
import { parseCommandArgs, parseInteger, parsePositiveNumber } from './args.js'
import { RunFailedError, UsageError, type Command } from './command.js'

/**
 * The suite list, bench/suites.ts: bench/ imports src/, so src/ loads it by a path resolved at run time, never by
 * a static import. Run from source (tests), the .ts file; from dist/ (the CLI, an installed package), dist/bench.
 */
async function loadSuites(): Promise<Record<string, SuiteEntry>> {
  const fromSource = import.meta.url.endsWith('.ts')
  const file = fromSource ? path.join(packageRoot, 'bench', 'suites.ts') : path.join(packageRoot, 'dist', 'bench', 'suites.js')
  return ((await import(pathToFileURL(file).href)) as { suites: Record<string, SuiteEntry> }).suites
}

const suites = await loadSuites()
const suiteNames = (): string[] => Object.keys(suites)

const help = () => `pyport bench — measure Python against its TypeScript port, side by side, in one run

Usage: pyport bench [--suite NAME] [options]

Suites:
${suiteNames()
  .map((n) => `  ${n.padEnd(9)} ${suites[n]?.summary ?? ''}`)
  .join('\n')}

Options:
  --suite NAME       which suite to run (default: article)
  --runs N           timed runs per measurement, after the warm-up (default: 5; agents: 3)
  --warmup N         untimed warm-up runs per measurement (default: 1, agents: 0; 0 allowed)
  --python PATH      Python interpreter (default: $PYPORT_PYTHON, else python3)
  --limit N          CPU workload size: primes below N, >= 1000 (default: 200000, the article's LIMIT)
  --io-seconds S     length of one simulated request (default: 1, the article's; agents: 0.25 mean per step)
  --json FILE        also write the full report as JSON (FILE "-" writes it to stdout instead of the table)
  --markdown FILE    also write the report as a markdown table
  --html FILE        also write a self-contained HTML page (charts on a log scale) to open in a browser
  --quiet            no progress on stderr
  -h, --help         this help

Agents suite (--suite agents; default runs 3, no warm-up, about 2 minutes on 2 cores):
  --agents LIST      agent counts, comma-separated (default: 5,50,500)
  --steps N          tool call, wait and think steps per agent (default: 3)
  --think-ms MS      Python CPU per think, calibrated at start (default: 1.5)
  --quick            agents 5,50, 1 run, 0.1 s waits, 1 ms thinks: about 20 s

Every measurement reports median, min and max over its runs (flagged unstable when max/min > 1.5); ratios are
"median ± sd × faster" (or slower) over paired runs (run i of each side measured in the same round), "within
noise of" when the paired runs disagree on the direction. Every TypeScript sum, and every agent's answer, is
checked against what the Python algorithm computes: a mismatch fails the run (exit 1).

Examples:
  pyport bench                                   the article suite, 5 runs each
  pyport bench --runs 10 --json bench.json       more runs, keep the numbers
  pyport bench --limit 20000 --runs 1 --io-seconds 0.05   a quick smoke run
  PYPORT_PYTHON=/usr/bin/python3.12 pyport bench --markdown results.md
  pyport bench --suite bridge --html bridge.html  another suite, as a page
  pyport bench --suite agents --html agents.html  5 -> 500 agents, with the scaling chart
  pyport bench --suite agents --quick             the same in about 20 s

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
      agents: { type: 'string' },
      steps: { type: 'string' },
      'think-ms': { type: 'string' },
      quick: { type: 'boolean' },
    })
    const suiteName = values.suite ?? 'article'
    const entry = suites[suiteName]
    if (!entry) {
      throw new UsageError(`pyport bench: unknown suite "${suiteName}". Available: ${suiteNames().join(', ')}. Example: --suite article.`)
    }
    const defaults = entry.defaults ?? {}
    const quick = values.quick === true
    const runs = parseInteger('bench', 'runs', values.runs, (quick ? defaults.quickRuns : undefined) ?? defaults.runs ?? 5, 1)
    const warmup = parseInteger('bench', 'warmup', values.warmup, defaults.warmup ?? 1, 0)
    const limit = parseInteger('bench', 'limit', values.limit, 200_000, 1000)
    const optional = <T>(raw: string | undefined, parse: (raw: string) => T): T | undefined => (raw === undefined ? undefined : parse(raw))
    const ioSeconds = optional(values['io-seconds'], (r) => parsePositiveNumber('bench', 'io-seconds', r, 1, 60))
    const agents = optional(values.agents, parseAgentCounts)
    const steps = optional(values.steps, (r) => parseInteger('bench', 'steps', r, 3, 1))
    const thinkMs = optional(values['think-ms'], (r) => parsePositiveNumber('bench', 'think-ms', r, 2, 1000))
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
        options: { limit, ioSeconds, agents, steps, thinkMs, quick },
        progress: (m, step) => {
          progress.update(m, step)
        },
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

/** "5,50,500" -> [5, 50, 500]: whole numbers from 1 to 10 000, no repeats. */
function parseAgentCounts(raw: string): number[] {
  const parts = raw.split(',').map((p) => p.trim())
  const counts = parts.map(Number)
  if (parts.some((p) => !/^\d+$/.test(p)) || counts.some((n) => n < 1 || n > 10_000)) {
    throw new UsageError(
      `pyport bench: --agents expects agent counts from 1 to 10000, comma-separated, got "${raw}". Example: --agents 5,50,500.`,
    )
  }
  if (new Set(counts).size !== counts.length)
    throw new UsageError(`pyport bench: --agents names a count twice: "${raw}". Example: --agents 5,50,500.`)
  return counts
}
