import { parseArgs } from 'node:util'
import { UsageError } from './command.js'

type OptionSpec = { type: 'string' | 'boolean'; short?: string; multiple?: boolean }
type Value<T> = T extends { type: 'boolean' }
  ? T extends { multiple: true }
    ? boolean[]
    : boolean
  : T extends { multiple: true }
    ? string[]
    : string
export type ParsedValues<O> = { [K in keyof O]?: Value<O[K]> }

/** A token that is a negative number ("-1", "-0.5", "-.5", "-1e3"), not an option. */
const NEGATIVE_NUMBER = /^-(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i

/**
 * `--runs -1`: node's parseArgs refuses a value that starts with "-" ("argument is ambiguous"), which hides what
 * went wrong. A negative number after an option that takes a value is that option's value: pass it as `--runs=-1`,
 * so the command's own check names the option and what it expects (`--runs expects a whole number >= 1, got -1`).
 */
function joinNegativeValues(argv: string[], options: Record<string, OptionSpec>): string[] {
  const takesValue = new Set<string>()
  for (const [name, spec] of Object.entries(options)) {
    if (spec.type !== 'string') continue
    takesValue.add(`--${name}`)
    if (spec.short) takesValue.add(`-${spec.short}`)
  }
  const out: string[] = []
  for (let i = 0; i < argv.length; i++) {
    // eslint-disable-next-line @typescript-eslint/no-non-null-assertion -- i < argv.length
    const arg = argv[i]!
    if (arg === '--') {
      out.push(...argv.slice(i))
      break
    }
    const next = argv[i + 1]
    if (takesValue.has(arg) && next !== undefined && NEGATIVE_NUMBER.test(next)) {
      out.push(arg.startsWith('--') ? `${arg}=${next}` : `${arg}${next}`)
      i++
    } else {
      out.push(arg)
    }
  }
  return out
}

/**
 * node:util parseArgs in strict mode, with its errors turned into UsageError messages that name the
 * command and point at --help. A negative number is taken as the value of the option before it (see
 * joinNegativeValues), for the command to check.
 */
export function parseCommandArgs<const O extends Record<string, OptionSpec>>(
  command: string,
  argv: string[],
  options: O,
  allowPositionals = false,
): { values: ParsedValues<O>; positionals: string[] } {
  try {
    const r = parseArgs({ args: joinNegativeValues(argv, options), options, strict: true, allowPositionals })
    return { values: r.values, positionals: r.positionals }
  } catch (err) {
    const msg = (err as Error).message
      .replace(/\. To specify a positional argument.*$/s, '')
      .split('\n')
      .map((line) => line.trim().replace(/\.+$/, ''))
      .filter((line) => line !== '')
      .join('. ')
    throw new UsageError(`pyport ${command}: ${msg}. See \`pyport ${command} --help\`.`)
  }
}

/** `--runs 5`: a whole number >= min. Never rounds: "2.5" is an error, not 2. */
export function parseInteger(command: string, flag: string, raw: string | undefined, fallback: number, min = 1): number {
  if (raw === undefined) return fallback
  if (!/^\s*[+-]?\d+\s*$/.test(raw)) {
    throw new UsageError(`pyport ${command}: --${flag} expects a whole number >= ${min}, got "${raw}". Example: --${flag} ${fallback}.`)
  }
  const n = Number(raw)
  if (!Number.isSafeInteger(n) || n < min) {
    throw new UsageError(`pyport ${command}: --${flag} expects a whole number >= ${min}, got ${raw}. Example: --${flag} ${fallback}.`)
  }
  return n
}

/** `--io-seconds 0.5`: a finite number > 0 (or >= min when min is given). */
export function parsePositiveNumber(command: string, flag: string, raw: string | undefined, fallback: number, max = Infinity): number {
  if (raw === undefined) return fallback
  const n = Number(raw)
  if (raw.trim() === '' || !Number.isFinite(n) || n <= 0 || n > max) {
    throw new UsageError(
      `pyport ${command}: --${flag} expects a number > 0${max < Infinity ? ` and <= ${max}` : ''}, got "${raw}". Example: --${flag} ${fallback}.`,
    )
  }
  return n
}
