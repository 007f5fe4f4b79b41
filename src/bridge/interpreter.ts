import { accessSync, constants, statSync } from 'node:fs'
import path from 'node:path'
import { execa } from 'execa'
import { PythonNotFoundError } from './errors.js'

export interface Interpreter {
  /** Absolute path of the executable. */
  path: string
  /** e.g. "3.11.7" */
  version: string
}

const MIN_VERSION: readonly [number, number] = [3, 9]

/** Which interpreter to use: the explicit option, else PYPORT_PYTHON, else python3. */
export function requestedPython(
  option: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): { python: string; source: PythonNotFoundError['source'] } {
  if (option !== undefined && option !== '') return { python: option, source: 'option' }
  const fromEnv = env['PYPORT_PYTHON']
  if (fromEnv !== undefined && fromEnv !== '') return { python: fromEnv, source: 'PYPORT_PYTHON' }
  return { python: 'python3', source: 'default' }
}

function isExecutableFile(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false
    accessSync(file, constants.X_OK)
    return true
  } catch {
    return false
  }
}

/** Resolves a command name or path to an absolute executable path, or undefined. */
export function findExecutable(command: string, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string | undefined {
  if (command.includes('/') || command.includes(path.sep)) {
    const abs = path.resolve(cwd, command)
    return isExecutableFile(abs) ? abs : undefined
  }
  for (const dir of (env['PATH'] ?? '').split(path.delimiter)) {
    if (dir === '') continue
    const candidate = path.join(dir, command)
    if (isExecutableFile(candidate)) return candidate
  }
  return undefined
}

const cache = new Map<string, Promise<Interpreter>>()

/**
 * Finds and checks the interpreter: it must exist, run, and be Python >= 3.9. Rejects with
 * PythonNotFoundError otherwise. `env` supplies PYPORT_PYTHON and PATH (pass the environment Python will run
 * with); a relative path resolves against `cwd`. Results are cached per requested name.
 */
export function resolveInterpreter(
  option?: string,
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
): Promise<Interpreter> {
  const { python, source } = requestedPython(option, env)
  const relative = (python.includes('/') || python.includes(path.sep)) && !path.isAbsolute(python)
  const key = `${source}:${python}:${env['PATH'] ?? ''}:${relative ? cwd : ''}`
  let pending = cache.get(key)
  if (!pending) {
    pending = probe(python, source, env, cwd)
    cache.set(key, pending)
    pending.catch(() => cache.delete(key))
  }
  return pending
}

async function probe(python: string, source: PythonNotFoundError['source'], env: NodeJS.ProcessEnv, cwd: string): Promise<Interpreter> {
  const abs = findExecutable(python, env, cwd)
  if (!abs) {
    throw new PythonNotFoundError(python, source, python.includes('/') ? 'does not exist or is not executable' : 'was not found on PATH')
  }
  let stdout: string
  try {
    const r = await execa(abs, ['-c', 'import sys; print("%d.%d.%d" % sys.version_info[:3])'], {
      timeout: 15_000,
      env: { ...env, PYTHONNOUSERSITE: '1' }, // a launcher script may need the PATH it will run with
      stdin: 'ignore',
    })
    stdout = r.stdout.trim()
  } catch (cause) {
    throw new PythonNotFoundError(python, source, `could not run (${(cause as Error).message.split('\n')[0]})`, { cause })
  }
  const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(stdout)
  if (!m) throw new PythonNotFoundError(python, source, `did not report a Python version (printed "${stdout.slice(0, 80)}")`)
  const major = Number(m[1])
  const minor = Number(m[2])
  if (major < MIN_VERSION[0] || (major === MIN_VERSION[0] && minor < MIN_VERSION[1])) {
    throw new PythonNotFoundError(python, source, `is Python ${stdout}, older than ${MIN_VERSION.join('.')}`)
  }
  return { path: abs, version: stdout }
}
