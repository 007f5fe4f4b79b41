import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { HybridConfigError } from './errors.js'

export const MODES = ['python', 'ts', 'shadow'] as const
export type Mode = (typeof MODES)[number]

export interface ResolvedMode {
  mode: Mode
  /** Where the mode came from, for reports: "option", "PYPORT_MODE_RANK", "PYPORT_MODE", "config FILE", "default". */
  source: string
}

export interface ModeSources {
  name: string
  option?: string | undefined
  env?: NodeJS.ProcessEnv
  /** JSON config file; default: $PYPORT_CONFIG, else ./pyport.config.json when it exists. */
  configFile?: string | undefined
  cwd?: string
}

export const DEFAULT_CONFIG_FILE = 'pyport.config.json'

/** PYPORT_MODE_<NAME>: the function name upper-cased, every other character an underscore. */
export function modeEnvName(name: string): string {
  return `PYPORT_MODE_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`
}

function checkMode(raw: unknown, name: string, source: string): Mode {
  if (typeof raw === 'string' && (MODES as readonly string[]).includes(raw.trim())) return raw.trim() as Mode
  throw new HybridConfigError(
    `hybrid "${name}": unknown mode ${JSON.stringify(raw)} from ${source}; expected one of ${MODES.join(', ')}. Example: ${modeEnvName(name)}=shadow`,
  )
}

/**
 * The config file's shape: `{ "modes": { "rank_documents": "shadow", "*": "python" } }`; `pyport run` also reads
 * its "ports" (`{"ports": {"rank_documents": {"file": "dist/ports/rank.js", "export": "rankDocuments"}}}`).
 */
function readConfig(file: string): Record<string, unknown> {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (err) {
    throw new HybridConfigError(
      `pyport config ${file} cannot be read (${(err as Error).message}); fix the path in PYPORT_CONFIG or the \`config\` option`,
    )
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (err) {
    throw new HybridConfigError(
      `pyport config ${file} is not valid JSON (${(err as Error).message}). Expected: {"modes": {"rank_documents": "shadow"}}`,
    )
  }
  const modes = (parsed as { modes?: unknown } | null)?.modes
  // a file that only names the ports `pyport run` serves (its "ports") sets no mode
  if (modes === undefined && (parsed as { ports?: unknown } | null)?.ports !== undefined) return {}
  if (modes === null || typeof modes !== 'object' || Array.isArray(modes)) {
    throw new HybridConfigError(`pyport config ${file} needs a "modes" object, e.g. {"modes": {"rank_documents": "shadow", "*": "python"}}`)
  }
  return modes as Record<string, unknown>
}

/**
 * A function's mode: the `mode` option, else PYPORT_MODE_<NAME>, else PYPORT_MODE, else the config file's entry
 * for the name (or its "*" entry), else "python" — so a deployment flips a function without a code change.
 */
export function resolveMode(s: ModeSources): ResolvedMode {
  const env = s.env ?? process.env
  if (s.option !== undefined) return { mode: checkMode(s.option, s.name, 'the `mode` option'), source: 'option' }
  const perFunction = modeEnvName(s.name)
  for (const key of [perFunction, 'PYPORT_MODE']) {
    const v = env[key]
    if (v !== undefined && v !== '') return { mode: checkMode(v, s.name, key), source: key }
  }
  const explicit = s.configFile ?? env['PYPORT_CONFIG']
  const file = explicit ? path.resolve(s.cwd ?? process.cwd(), explicit) : path.resolve(s.cwd ?? process.cwd(), DEFAULT_CONFIG_FILE)
  if (explicit || existsSync(file)) {
    const modes = readConfig(file)
    const entry = Object.prototype.hasOwnProperty.call(modes, s.name)
      ? s.name
      : Object.prototype.hasOwnProperty.call(modes, '*')
        ? '*'
        : undefined
    if (entry !== undefined) return { mode: checkMode(modes[entry], s.name, `${file} (modes["${entry}"])`), source: `config ${file}` }
  }
  return { mode: 'python', source: 'default' }
}
