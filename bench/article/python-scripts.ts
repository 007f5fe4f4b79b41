import { execa } from 'execa'
import path from 'node:path'
import { packageRoot, pythonFile } from '../../src/paths.js'
import { RunFailedError } from '../../src/cli/command.js'

export const ARTICLE_LIMIT = 200_000
export const ARTICLE_IO_SECONDS = 1
/** Runs the article's scripts with LIMIT or the sleep length patched (bench/article/article.py). */
const ARTICLE_RUNNER = path.join(packageRoot, 'bench', 'article', 'article.py')

export interface ScriptSettings {
  python: string
  limit: number
  ioSeconds: number
}

function stderrTail(stderr: string): string {
  const lines = stderr.trim().split('\n').slice(-5).join('\n  ')
  return lines ? `\n  ${lines}` : ''
}

/**
 * Runs one of the article's scripts as a subprocess and returns its stdout. With the article's own constants the
 * file runs as-is; otherwise bench/article/article.py runs it with LIMIT or the sleep length changed.
 */
export async function runArticleScript(script: 'cpu_perf.py' | 'io_perf.py', s: ScriptSettings): Promise<string> {
  const file = pythonFile('article', script)
  const patch: string[] = []
  if (script === 'cpu_perf.py' && s.limit !== ARTICLE_LIMIT) patch.push('--limit', String(s.limit))
  if (script === 'io_perf.py' && s.ioSeconds !== ARTICLE_IO_SECONDS) patch.push('--io-seconds', String(s.ioSeconds))
  const args = patch.length > 0 ? [ARTICLE_RUNNER, 'run', file, ...patch] : [file]
  const r = await execa(s.python, args, {
    reject: false,
    stdin: 'ignore',
    timeout: 10 * 60_000,
    env: { PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1' },
  })
  if (r.timedOut) throw new RunFailedError(`${script} did not finish within 10 minutes`)
  if (r.exitCode !== 0 || r.signal) {
    const how = r.signal ? `was killed by ${r.signal}` : `exited with code ${r.exitCode}`
    throw new RunFailedError(`${script} ${how} (${s.python} ${args.join(' ')})${stderrTail(r.stderr)}`)
  }
  return r.stdout
}

/** The article's own sum_primes, run by Python, for the sums every TypeScript result is checked against. */
export async function pythonReferenceSums(s: ScriptSettings): Promise<{ sum: number; lower: number; upper: number }> {
  const args = [ARTICLE_RUNNER, 'sum', pythonFile('article', 'cpu_perf.py'), '--limit', String(s.limit)]
  const r = await execa(s.python, args, { reject: false, stdin: 'ignore', timeout: 10 * 60_000 })
  if (r.exitCode !== 0) {
    throw new RunFailedError(`computing the Python reference sum failed (${s.python} ${args.join(' ')})${stderrTail(r.stderr)}`)
  }
  try {
    const parsed = JSON.parse(r.stdout) as { sum: number; lower: number; upper: number }
    if (![parsed.sum, parsed.lower, parsed.upper].every(Number.isSafeInteger)) throw new Error('not integers')
    return parsed
  } catch {
    throw new RunFailedError(`the Python reference sum printed "${r.stdout.slice(0, 120)}", expected JSON with sum, lower, upper`)
  }
}
