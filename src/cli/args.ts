import { parseArgs } from 'node:util'
import { UsageError } from './command.js'

type OptionSpec = { type: 'string' | 'boolean'; short?: string; multiple?: boolean }
type Value<T> = T extends { type: 'boolean' }
  ? T extends { multiple: true } ? boolean[] : boolean
  : T extends { multiple: true } ? string[] : string
export type ParsedValues<O> = { [K in keyof O]?: Value<O[K]> }

/**
 * node:util parseArgs in strict mode, with its errors turned into UsageError messages that name the
 * command and point at --help.
 */
export function parseCommandArgs<const O extends Record<string, OptionSpec>>(
  command: string,
  argv: string[],
  options: O,
  allowPositionals = false,
): { values: ParsedValues<O>; positionals: string[] } {
  try {
    const r = parseArgs({ args: argv, options, strict: true, allowPositionals })
    return { values: r.values as ParsedValues<O>, positionals: r.positionals }
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
  if (!/^\s*[+]?\d+\s*$/.test(raw)) {
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
