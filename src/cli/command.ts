import { PyportError } from '../errors.js'

/** What every `pyport` subcommand is, and the two ways it can fail. */

export interface Command {
  name: string
  /** One line for `pyport --help`. */
  summary: string
  /** Full help text for `pyport NAME --help`. */
  help: string
  /** Returns the exit code: 0 success, 1 a failed run or check. Throws UsageError for bad input (exit 2). */
  run(argv: string[], io: CommandIO): Promise<number>
  /** The arguments that are pyport's own (where --help counts); default: those before `--`. */
  ownArgs?(argv: string[]): string[]
}

export interface CommandIO {
  stdout: NodeJS.WritableStream
  stderr: NodeJS.WritableStream
}

/** Bad command-line input: the CLI prints the message and exits 2. */
export class UsageError extends PyportError {
  override name = 'UsageError'
  readonly code = 'PYPORT_USAGE'
}

/** A run that could not complete (a crashed script, unparseable output): the CLI prints it and exits 1. */
export class RunFailedError extends PyportError {
  override name = 'RunFailedError'
  readonly code = 'PYPORT_RUN_FAILED'
}
