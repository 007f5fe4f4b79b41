import { PyportOptionError } from '../errors.js'
import { ANSI } from '../util/ansi.js'
import { isPlainObject } from '../util/plain-object.js'
import { PythonError } from './errors.js'

function checkFn(method: string, fn: unknown): void {
  if (typeof fn !== 'string' || fn === '') {
    throw new TypeError(`${method}(fn, ...) expects the Python function name as a non-empty string, got ${fn === '' ? 'an empty string' : typeof fn}`)
  }
}

export function checkArgs(fn: unknown, args: unknown): void {
  checkFn('call', fn)
  if (!Array.isArray(args)) {
    throw new TypeError(`call('${String(fn)}', args) expects args to be an array of positional arguments (e.g. [1, 2]), got ${args === null ? 'null' : typeof args}`)
  }
}

export function checkArgsList(fn: unknown, argsList: unknown): void {
  checkFn('map', fn)
  if (!Array.isArray(argsList)) {
    throw new TypeError(`map('${String(fn)}', argsList) expects an array of argument arrays (e.g. [[1], [2]]), got ${argsList === null ? 'null' : typeof argsList}`)
  }
  for (let i = 0; i < argsList.length; i++) {
    if (!Array.isArray(argsList[i])) {
      throw new TypeError(`map('${String(fn)}', argsList): item ${i} should be an array of positional arguments (e.g. [x]), got ${typeof argsList[i]}`)
    }
  }
}

export function checkOptions(options: unknown): void {
  if (options === undefined) return
  if (typeof options !== 'object' || options === null) throw new TypeError(`Expected call options to be an object, got ${options === null ? 'null' : typeof options}`)
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
  const last = text.split('\n').map((l) => l.trim()).filter((l) => /^[\w.]+(Error|Exception)\b/.test(l)).at(-1) ?? 'pyport.BridgeError: pythonia failed'
  const [type, ...rest] = last.split(':')
  return new PythonError({ pythonType: type ?? 'pyport.BridgeError', message: rest.join(':').trim(), traceback: text, frames: [], internal: true }, module, fn)
}
