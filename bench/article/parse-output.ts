/** Parses what the article's scripts print; anything unexpected is an error naming the script and the line. */

export class ScriptOutputError extends Error {
  override name = 'ScriptOutputError'
}

interface Expected {
  key: string
  pattern: RegExp
  example: string
}

const CPU_LINES: Expected[] = [
  {
    key: 'single',
    pattern: /^Single-threaded \(1 agent\) time: (\d+(?:\.\d+)?) seconds$/,
    example: 'Single-threaded (1 agent) time: 0.1408 seconds',
  },
  {
    key: 'threads2',
    pattern: /^Multi-threaded \(2 agents\) time: (\d+(?:\.\d+)?) seconds$/,
    example: 'Multi-threaded (2 agents) time: 0.1520 seconds',
  },
]

const IO_LINES: Expected[] = [
  {
    key: 'sequential',
    pattern: /^Single-threaded I\/O took: (\d+(?:\.\d+)?) seconds$/,
    example: 'Single-threaded I/O took: 2.0006 seconds',
  },
  { key: 'threads2', pattern: /^Multi-threaded I\/O took: (\d+(?:\.\d+)?) seconds$/, example: 'Multi-threaded I/O took: 1.0008 seconds' },
]

function parse(script: string, stdout: string, expected: Expected[]): Record<string, number> {
  const lines = stdout.split(/\r?\n/)
  const nonEmpty = lines.map((text, i) => ({ text: text.trim(), line: i + 1 })).filter((l) => l.text !== '')
  const out: Record<string, number> = {}
  for (let i = 0; i < expected.length; i++) {
    const exp = expected[i] as Expected
    const got = nonEmpty[i]
    if (!got) {
      throw new ScriptOutputError(
        `${script}: output ended after ${nonEmpty.length} line(s); expected a line like "${exp.example}". ` +
          "Is the script the article's, unchanged, and did it finish?",
      )
    }
    const m = exp.pattern.exec(got.text)
    if (!m) {
      throw new ScriptOutputError(
        `${script}: line ${got.line} is "${got.text.slice(0, 120)}", expected a line like "${exp.example}". ` +
          "Is the script the article's, unchanged?",
      )
    }
    out[exp.key] = Number(m[1])
  }
  const extra = nonEmpty[expected.length]
  if (extra) {
    throw new ScriptOutputError(`${script}: unexpected line ${extra.line} after the timings: "${extra.text.slice(0, 120)}".`)
  }
  return out
}

export function parseCpuPerf(stdout: string, script = 'cpu_perf.py'): { single: number; threads2: number } {
  const r = parse(script, stdout, CPU_LINES)
  return { single: r['single'] as number, threads2: r['threads2'] as number }
}

export function parseIoPerf(stdout: string, script = 'io_perf.py'): { sequential: number; threads2: number } {
  const r = parse(script, stdout, IO_LINES)
  return { sequential: r['sequential'] as number, threads2: r['threads2'] as number }
}
