import { PyportArgumentError, PyportOptionError } from '../errors.js'
import { ANSI } from '../util/ansi.js'
import { isPlainObject } from '../util/plain-object.js'
import { PythonError } from './errors.js'

/** Who calls: the public method whose arguments are checked ('PythonModule.call', 'PythonObject.call', …). */
export type CallOwner = 'PythonModule.call' | 'PythonModule.map' | 'PythonObject.call' | 'PythonObject.get'

function checkFn(owner: CallOwner, fn: unknown): void {
  if (typeof fn !== 'string' || fn === '') {
    const argument = owner === 'PythonObject.call' ? 'method' : 'fn'
    const what = owner === 'PythonObject.call' ? 'the method name' : 'the Python function name'
    throw new PyportArgumentError({ owner, argument, expected: `${what} as a non-empty string`, value: fn })
  }
}

export function checkArgs(fn: unknown, args: unknown, owner: 'PythonModule.call' | 'PythonObject.call' = 'PythonModule.call'): void {
  checkFn(owner, fn)
  if (!Array.isArray(args)) {
    throw new PyportArgumentError({
      owner,
      argument: 'args',
      target: fn as string,
      expected: 'an array of positional arguments (e.g. [1, 2])',
      value: args,
    })
  }
}

export function checkArgsList(fn: unknown, argsList: unknown): void {
  const owner = 'PythonModule.map'
  checkFn(owner, fn)
  if (!Array.isArray(argsList)) {
    throw new PyportArgumentError({
      owner,
      argument: 'argsList',
      target: fn as string,
      expected: 'an array of argument arrays (e.g. [[1], [2]])',
      value: argsList,
    })
  }
  for (let i = 0; i < argsList.length; i++) {
    if (!Array.isArray(argsList[i])) {
      throw new PyportArgumentError({
        owner,
        argument: `argsList[${i}]`,
        target: fn as string,
        expected: 'an array of positional arguments (e.g. [x])',
        value: argsList[i],
      })
    }
  }
}

export function checkOptions(options: unknown, owner: CallOwner): void {
  if (options === undefined) return
  if (typeof options !== 'object' || options === null) {
    throw new PyportOptionError({ option: 'options', expected: 'an object (kwargs, timeoutMs, signal)', received: options, owner })
  }
  const { kwargs, signal } = options as { kwargs?: unknown; signal?: unknown }
  if (kwargs !== undefined && kwargs !== null && !isPlainObject(kwargs)) {
    throw new PyportOptionError({ option: 'kwargs', expected: 'a plain object of keyword arguments', received: kwargs })
  }
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new PyportOptionError({ option: 'signal', expected: 'an AbortSignal', received: signal })
  }
}

/** pythonia answered with its own error (outside the shim): keep what it said, without colours. */
export function pythoniaFailure(err: unknown, module: string, fn: string): Error {
  const text = String((err as Error | null | undefined)?.stack ?? err).replace(ANSI, '')
  const last =
    text
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => /^[\w.]+(Error|Exception)\b/.test(l))
      .at(-1) ?? 'pyport.BridgeError: pythonia failed'
  const [type, ...rest] = last.split(':')
  return new PythonError(
    { pythonType: type ?? 'pyport.BridgeError', message: rest.join(':').trim(), traceback: text, frames: [], internal: true },
    module,
    fn,
  )
}
