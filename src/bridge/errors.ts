import { PyportError } from '../errors.js'

/**
 * Typed errors of the Python side of pyport. Every class carries what a caller needs to act on it,
 * and its message says what went wrong and what to do.
 */

/** The Python interpreter could not be found, started, or is too old. */
export class PythonNotFoundError extends PyportError {
  override name = 'PythonNotFoundError'
  readonly code = 'PYPORT_PYTHON_NOT_FOUND'
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

/** One frame of a Python traceback, innermost last. */
export interface PythonFrame {
  file: string
  line: number
  function: string
  /** The source line, stripped; '' when Python could not read it. */
  code: string
}

/** What the shim sends back for an exception raised by Python code. */
export interface PythonErrorInfo {
  pythonType: string
  message: string
  traceback: string
  frames: PythonFrame[]
  /** Set for a failing `map` item. */
  index?: number
  /** 'import' when the module could not be imported or the function not found. */
  stage?: 'import' | 'call'
  /** The shim itself failed (a pyport bug): the interpreter still answers. */
  internal?: boolean
}

/** Python code raised an exception. `pythonType` is e.g. "ValueError" or "mypkg.errors.QuotaError". */
export class PythonError extends PyportError {
  override name = 'PythonError'
  readonly code = 'PYPORT_PYTHON_ERROR'
  readonly pythonType: string
  /** str(exception): the Python message alone. */
  readonly pythonMessage: string
  /** The Python traceback as Python prints it (without pyport's own frames). */
  readonly traceback: string
  readonly frames: readonly PythonFrame[]
  /** The Python module and function that were called. */
  readonly module: string
  readonly function: string
  /** For `map`: the index of the failing item. */
  readonly index: number | undefined
  readonly stage: 'import' | 'call'

  constructor(info: PythonErrorInfo, module: string, fn: string) {
    const at = info.index === undefined ? '' : ` (map item ${info.index})`
    const last = info.frames.at(-1)
    const where = last ? `\n  at ${last.file}:${last.line} in ${last.function}${last.code ? `: ${last.code}` : ''}` : ''
    const what = fn === '<import>' ? `importing ${module}` : `${module}.${fn}${at}`
    super(`${what} raised ${info.pythonType}: ${info.message}${where}`)
    this.pythonType = info.pythonType
    this.pythonMessage = info.message
    this.traceback = info.traceback
    this.frames = info.frames
    this.module = module
    this.function = fn
    this.index = info.index
    this.stage = info.stage ?? 'call'
  }
}

/**
 * What became of a call in Python once the host gave up on it (a timeout or an abort):
 * - 'not-started': it was still queued (on the host or in Python); it was dropped and will never run;
 * - 'cancelled': an `async def` call, cancelled (asyncio.CancelledError raised in it, its finally blocks run);
 * - 'still-running': a thread runs it and nothing can stop a thread: that interpreter takes no new calls, its other
 *   calls finish, then it is stopped; new calls already go to a fresh interpreter;
 * - 'finished': it returned just as the host gave up; the result was dropped.
 */
export type CancelledCallState = 'not-started' | 'cancelled' | 'still-running' | 'finished'

/** A call ran past its timeout. `inPython` says what became of it; nothing runs it twice. */
export class BridgeTimeoutError extends PyportError {
  override name = 'BridgeTimeoutError'
  readonly code = 'PYPORT_BRIDGE_TIMEOUT'
  readonly timedOut = true
  readonly timeoutMs: number
  readonly module: string
  readonly function: string
  /** The pid of the interpreter the call was sent to (undefined if it was never sent). */
  readonly pid: number | undefined
  /** True when the call never started: it was still queued behind other calls, which keep running. */
  readonly queued: boolean
  readonly inPython: CancelledCallState

  constructor(module: string, fn: string, timeoutMs: number, pid: number | undefined, inPython: CancelledCallState) {
    super(`${module}.${fn} did not return within ${timeoutMs} ms; ${describeCancelled(inPython, pid)}`)
    this.queued = inPython === 'not-started'
    this.inPython = inPython
    this.timeoutMs = timeoutMs
    this.module = module
    this.function = fn
    this.pid = pid
  }
}

function describeCancelled(state: CancelledCallState, pid: number | undefined): string {
  const where = `interpreter pid ${pid ?? '?'}`
  switch (state) {
    case 'not-started':
      return `it was still queued behind other calls${pid === undefined ? '' : ` on ${where}`}, which keep running; it will not run. Raise \`timeoutMs\`, raise \`concurrency\` if the calls wait on I/O, or spread calls over a PythonPool.`
    case 'cancelled':
      return `it was cancelled in Python (asyncio.CancelledError was raised in it, so its finally blocks ran); ${where} keeps running.`
    case 'still-running':
      return `a thread of ${where} still runs it, and a thread cannot be stopped: that interpreter takes no new calls, its other calls finish, then it is stopped. New calls go to a fresh interpreter, which re-imports the module. Raise \`timeoutMs\` (per call or on the bridge) if the call is legitimately slow.`
    case 'finished':
      return 'it returned just as the timeout fired; its result was dropped.'
  }
}

/** The interpreter is gone: it exited, was killed, or the bridge was closed. */
export class BridgeClosedError extends PyportError {
  override name = 'BridgeClosedError'
  readonly code = 'PYPORT_BRIDGE_CLOSED'
  readonly exitCode: number | null
  readonly signal: string | null
  /** The last lines Python wrote to stderr (without ANSI codes). */
  readonly stderrTail: readonly string[]
  readonly reason: 'closed' | 'exited' | 'replaced' | 'protocol'
  readonly pid: number | undefined

  constructor(
    reason: BridgeClosedError['reason'],
    detail: string,
    exit: { exitCode?: number | null; signal?: string | null; stderrTail?: readonly string[]; pid?: number | undefined } = {},
  ) {
    const tail = exit.stderrTail?.length ? `\nLast stderr lines:\n  ${exit.stderrTail.join('\n  ')}` : ''
    super(`${detail}${tail}`)
    this.reason = reason
    this.exitCode = exit.exitCode ?? null
    this.signal = exit.signal ?? null
    this.stderrTail = exit.stderrTail ?? []
    this.pid = exit.pid
  }
}

/** A value has no exact counterpart on the other side (a Python datetime, a JS function, a circular object...). */
export class PythonValueError extends PyportError {
  override name = 'PythonValueError'
  readonly code = 'PYPORT_PYTHON_VALUE'
  /** 'to-js': a Python result could not be sent; 'to-python': a JS argument could not be. */
  readonly direction: 'to-js' | 'to-python'
  /** The offending type: a Python qualified name ('datetime.datetime') or a JS description ('function'). */
  readonly valueType: string
  /**
   * Where in the value: for a result, a Python path like "[0]['when']" ('' for the value itself); for an
   * argument, a path from the argument root like "args[0].user.name", "kwargs.when" or "items[2][0]" (map).
   */
  readonly where: string
  readonly hint: string
  readonly index: number | undefined

  /** `options.cause`: what was thrown while the value was read (a getter, a Proxy's handler), if anything. */
  constructor(
    direction: 'to-js' | 'to-python',
    valueType: string,
    where: string,
    hint: string,
    context: string,
    index?: number,
    options?: { cause?: unknown },
  ) {
    const what = direction === 'to-js' ? `Python ${valueType}` : valueType
    super(
      `${context}: ${/^[aeiou]/i.test(what) ? 'an' : 'a'} ${what}${where ? ` at ${where}` : ''} cannot cross the bridge exactly; ${hint}.`,
      options,
    )
    this.direction = direction
    this.valueType = valueType
    this.where = where
    this.hint = hint
    this.index = index
  }
}

/** Why a PythonObject can no longer be used. */
export type ObjectLostReason = 'released' | 'replaced' | 'exited' | 'closed' | 'protocol'

const LOST: Record<ObjectLostReason, string> = {
  released: 'it was released (release(), or `await using` ended)',
  replaced:
    'its interpreter was retired after a call there timed out while a thread ran it; objects live in one interpreter and die with it',
  exited: 'its interpreter exited (a crash, os._exit, a signal); objects live in one interpreter and die with it',
  closed: 'its bridge was closed',
  protocol: "its interpreter was stopped after it sent a line that is not pyport's",
}

/** A PythonObject used after it was released, or after the interpreter holding it was replaced, died or closed. */
export class PythonObjectLostError extends PyportError {
  override name = 'PythonObjectLostError'
  readonly code = 'PYPORT_PYTHON_OBJECT_LOST'
  readonly reason: ObjectLostReason
  /** The object's qualified Python type, e.g. 'agent.Agent'. */
  readonly pythonType: string
  readonly pid: number | undefined

  constructor(pythonType: string, reason: ObjectLostReason, pid: number | undefined) {
    super(
      `The Python ${pythonType} object is gone: ${LOST[reason]}${pid === undefined ? '' : ` (interpreter pid ${pid})`}. Make a new one.`,
    )
    this.reason = reason
    this.pythonType = pythonType
    this.pid = pid
  }
}
