/**
 * Checks shared by every options type (bridge, pool, WorkerPool, hybrid, replay, profile): each returns the value
 * or throws PyportOptionError naming the option, what it expects and what it got. `owner` is whose option it is
 * (see OptionProblem.owner); left out, the message reads as PythonBridge's: "Expected the `x` option to be …".
 */
import { PyportOptionError } from './errors.js'

/** A timeout in ms: 0 or Infinity mean none, and both resolve to 0. */
export function checkTimeout(name: string, value: unknown, owner?: string): number {
  if (value === Infinity) return 0
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new PyportOptionError({
      option: name,
      expected: 'a non-negative number of milliseconds (0 or Infinity for none)',
      received: value,
      owner,
    })
  }
  return value
}

/** A whole number of at least `min`; `what` says what it counts ("an integer >= 1 (what)"). */
export function checkCount(name: string, value: unknown, min: number, what: string, owner?: string): number {
  return checkInteger(name, value, min, `an integer >= ${min} (${what})`, owner)
}

/** A whole number of at least `min`; `expected` says so in words. */
export function checkInteger(name: string, value: unknown, min: number, expected: string, owner?: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min)
    throw new PyportOptionError({ option: name, expected, received: value, owner })
  return value
}

/** A finite number within [min, max]; `expected` says so in words. */
export function checkRange(name: string, value: unknown, min: number, max: number, expected: string, owner?: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new PyportOptionError({ option: name, expected, received: value, owner })
  }
  return value
}

export function checkBoolean(name: string, value: unknown, owner?: string): boolean {
  if (typeof value !== 'boolean') throw new PyportOptionError({ option: name, expected: 'true or false', received: value, owner })
  return value
}

// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the function type it expects; at run time only "is a function" can be checked
export function checkFunction<F extends (...args: never[]) => unknown>(name: string, value: unknown, expected: string, owner?: string): F {
  if (typeof value !== 'function') throw new PyportOptionError({ option: name, expected, received: value, owner })
  return value as F
}

/** A non-empty string. */
export function checkString(name: string, value: unknown, expected: string, owner?: string): string {
  if (typeof value !== 'string' || value === '') throw new PyportOptionError({ option: name, expected, received: value, owner })
  return value
}

/**
 * The options argument itself: an object (plain-JS callers can pass anything), copied onto a null prototype so an
 * inherited key is never read as an option.
 */
export function checkOptionsObject<T extends object>(value: T, expected: string, owner?: string): T {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- validates plain-JS callers: the types rule out what this check still catches
  if (value === null || typeof value !== 'object') throw new PyportOptionError({ option: 'options', expected, received: value, owner })
  return Object.assign(Object.create(null) as T, value)
}
