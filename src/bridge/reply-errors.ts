import type { Reply } from './connection.js'
import { PythonError, PythonValueError, type PythonErrorInfo } from './errors.js'
import type { ModuleRef } from './module-spec.js'

interface ValueErrorInfo {
  pythonType: string
  where: string
  hint: string
  direction: 'to-js' | 'to-python'
  index?: number | null
}

/** The error a reply that is not a value stands for (status 1 an exception, 2 a value that cannot cross, 3 cancelled). */
export function replyError(reply: Reply, ref: ModuleRef, fn: string): Error {
  if (reply.status === 2) return valueError(reply.payload as ValueErrorInfo, ref, fn)
  if (reply.status === 3) {
    return new PythonError(
      { pythonType: 'asyncio.CancelledError', message: 'the coroutine was cancelled in Python', traceback: '', frames: [] },
      ref.name,
      fn,
    )
  }
  return new PythonError(reply.payload as PythonErrorInfo, ref.name, fn)
}

function valueError(info: ValueErrorInfo, ref: ModuleRef, fn: string): PythonValueError {
  const context =
    info.direction === 'to-python'
      ? `${ref.name}.${fn}: Python cannot receive an argument`
      : `${ref.name}.${fn} returned a value that cannot be sent to JS`
  return new PythonValueError(info.direction, info.pythonType, info.where, info.hint, context, info.index ?? undefined)
}

/** pythonia's own JSON.stringify of the request failed: the arguments are too large to send, not a Python error. */
export function tooLargeToSend(err: unknown, ref: ModuleRef, fn: string): PythonValueError | undefined {
  if (!(err instanceof RangeError)) return undefined
  return new PythonValueError(
    'to-python',
    'arguments',
    '',
    'they are too large to send in one message (over the longest string V8 can build); send them in pieces',
    `${ref.name}.${fn}: cannot send the arguments`,
  )
}
