import { statSync } from 'node:fs'
import path from 'node:path'
import { ProfileInputError } from './errors.js'

/** What to profile: a script file or a module (like `python -m`), and the program's own arguments. */
export type ProfileTarget = { script: string; args?: string[] } | { module: string; args?: string[] }

const MODULE_NAME = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/

/** Checks the target before anything is spawned; returns the profiler's arguments for it. */
export function targetArgs(target: ProfileTarget, cwd: string): { argv: string[]; label: string } {
  const args = target.args ?? []
  if (!Array.isArray(args) || !args.every((a) => typeof a === 'string')) {
    throw new ProfileInputError('args must be a list of strings (the arguments passed to the program).')
  }
  if ('module' in target) {
    if (typeof target.module !== 'string' || !MODULE_NAME.test(target.module)) {
      throw new ProfileInputError(`"${target.module}" is not a Python module name. Expected dotted identifiers, e.g. -m mypkg.agent.`)
    }
    return { argv: ['-m', target.module, ...args], label: `-m ${target.module}` }
  }
  if (typeof target.script !== 'string' || target.script === '') {
    throw new ProfileInputError('no script given. Usage: pyport profile SCRIPT.py [-- ARGS...] or pyport profile -m MODULE.')
  }
  const abs = path.resolve(cwd, target.script)
  let isFile = false
  try {
    isFile = statSync(abs).isFile()
  } catch {
    throw new ProfileInputError(
      `script "${target.script}" does not exist (looked for ${abs}). Check the path, or use -m MODULE for a module.`,
    )
  }
  if (!isFile) throw new ProfileInputError(`script "${target.script}" is not a file (${abs}). Give the path of a .py file.`)
  return { argv: [abs, ...args], label: target.script }
}
