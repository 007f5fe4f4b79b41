import path from 'node:path'
import { PyportArgumentError } from '../errors.js'

/** A module as the shim knows it: key "file:/abs/agent.py" or "mod:pkg.name". */
export interface ModuleRef {
  key: string
  /** The Python module name: the file's stem, or the dotted name. */
  name: string
  /** Absolute path for a file import. */
  file: string | null
}

const MODULE_NAME = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/

/**
 * `./agent.py`, `../x/agent.py`, `/abs/agent.py`, `agent.py` or `sub/agent.py` are files, resolved against
 * `cwd` (never the caller's file); `json` or `pkg.module` are module names. Throws PyportArgumentError otherwise.
 */
export function resolveModuleSpec(spec: unknown, cwd: string, owner: 'PythonBridge.import' | 'PythonPool.import'): ModuleRef {
  if (typeof spec !== 'string' || spec.trim() === '') {
    throw new PyportArgumentError({ owner, argument: 'spec', expected: "a module name ('json') or a path ('./agent.py')", value: spec })
  }
  const isPath = spec.endsWith('.py') || spec.includes('/') || spec.includes(path.sep) || spec.startsWith('.')
  if (isPath) {
    const file = path.resolve(cwd, spec)
    return { key: `file:${file}`, name: path.basename(file).replace(/\.py$/, ''), file }
  }
  if (!MODULE_NAME.test(spec)) {
    throw new PyportArgumentError({
      owner,
      argument: 'spec',
      expected: 'a Python module name (like "pkg.module") or a path (start it with ./ or end it with .py)',
      value: spec,
    })
  }
  return { key: `mod:${spec}`, name: spec, file: null }
}
