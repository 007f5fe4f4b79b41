/**
 * Typed errors of the Python side of pyport. Every class carries what a caller needs to act on it,
 * and its message says what went wrong and what to do.
 */

/** The Python interpreter could not be found, started, or is too old. */
export class PythonNotFoundError extends Error {
  override name = 'PythonNotFoundError'
  /** The interpreter as requested (option, PYPORT_PYTHON or python3). */
  readonly python: string
  /** Where the request came from. */
  readonly source: 'option' | 'PYPORT_PYTHON' | 'default'

  constructor(python: string, source: PythonNotFoundError['source'], reason: string, options?: { cause?: unknown }) {
    super(
      `Python interpreter "${python}" (from ${source === 'option' ? 'the `python` option' : source === 'PYPORT_PYTHON' ? 'PYPORT_PYTHON' : 'the default, python3'}) ${reason}. ` +
        'Install python3 >= 3.9, or point pyport at one with --python /path/to/python3 or PYPORT_PYTHON.',
      options,
    )
    this.python = python
    this.source = source
  }
}
