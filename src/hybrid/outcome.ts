import { PyportOptionError } from '../errors.js'
import { PortError, PortFault } from '../workers/errors.js'
import { compareValues, type CompareOptions, type Difference } from './compare.js'
import { describe } from './describe.js'
import { compileIgnoreRules, type IgnoreRule } from './ignore.js'

/** What one side (Python or the port) did with one call. */
export type SideResult =
  { ok: true; value: unknown; ms: number } | { ok: false; error: ErrorInfo; ms: number; timedOut?: boolean; fault?: boolean }

export interface ErrorInfo {
  /** Python's exception type (from PythonError.pythonType), else the JS error's name. */
  type: string
  message: string
}

export type ComparisonOutcome = 'match' | 'mismatch' | 'ignored' | 'port-error' | 'port-timeout'

export interface Judgement {
  outcome: ComparisonOutcome
  differences: Difference[]
  /** The ignore rule's reason, when outcome is "ignored". */
  ignoredBy?: string
}

/** A user's own equality: true when Python's and the port's results are the same. */
export type CompareFunction = (python: unknown, port: unknown) => boolean

export interface JudgeOptions {
  compare?: CompareOptions | CompareFunction | undefined
  ignore?: readonly IgnoreRule[] | undefined
}

export function errorInfo(err: unknown): ErrorInfo {
  if (err instanceof PortError) return { type: err.portErrorName, message: err.portMessage }
  if (err instanceof Error) {
    const pythonType = (err as { pythonType?: unknown }).pythonType
    return { type: typeof pythonType === 'string' ? pythonType : err.name, message: err.message }
  }
  return { type: typeof err, message: String(err) }
}

/**
 * True when the port did not give a usable answer (its worker crashed, its input or result could not be sent, it could not load,
 * its pool was closed, it timed out), as opposed to the port's own code throwing. Sets SideResult.fault.
 */
export function isPortFault(err: unknown): boolean {
  return err instanceof PortFault
}

const MAX_KEPT = 20

/** Decides match / mismatch / ignored / port-error / port-timeout for one call; the same rules live and on replay. */
export function makeJudge(options: JudgeOptions = {}): (python: SideResult, port: SideResult) => Judgement {
  const ignore = compileIgnoreRules(options.ignore)
  const compare = options.compare
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- validates plain-JS callers: the types rule out what this check still catches
  if (compare !== undefined && typeof compare !== 'function' && (compare === null || typeof compare !== 'object')) {
    throw new PyportOptionError({
      option: 'compare',
      expected: 'options { rtol, atol } or a function (python, port) => boolean',
      received: compare,
    })
  }
  if (compare !== undefined && typeof compare === 'object') compareValues(0, 0, compare) // validates tolerances now
  const exhaustive = (options.ignore ?? []).some((r) => r.path !== undefined)

  function differencesOf(py: unknown, port: unknown): Difference[] {
    if (typeof compare === 'function') {
      let same: boolean
      try {
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-boolean-literal-compare -- the compare function is the user's, maybe plain JS: only exactly `true` counts as a match, not any truthy value
        same = compare(py, port) === true
      } catch (err) {
        return [
          {
            path: '$',
            python: describe(py),
            port: `${describe(port)} (compare function threw ${errorInfo(err).type}: ${errorInfo(err).message})`,
          },
        ]
      }
      return same ? [] : [{ path: '$', python: describe(py), port: `${describe(port)} (custom compare returned false)` }]
    }
    // Path ignore rules must see every difference, not the first 20, to be sure they cover all of them.
    return compareValues(py, port, { ...compare, maxDifferences: exhaustive ? Infinity : MAX_KEPT })
  }

  return (python, port) => {
    if (!port.ok) {
      if (port.timedOut) return { outcome: 'port-timeout', differences: [] }
      // Both raised: an error for an error is agreement (exception types differ across languages by nature) —
      // but only when the port's own code threw; a crash, a timeout or an unusable port proves nothing.
      if (!python.ok && !port.fault) return { outcome: 'match', differences: [] }
      const pythonSaid = python.ok ? describe(python.value) : `raised ${python.error.type}: ${python.error.message}`
      return {
        outcome: 'port-error',
        differences: [{ path: '$', python: pythonSaid, port: `threw ${port.error.type}: ${port.error.message}` }],
      }
    }
    if (!python.ok) {
      return {
        outcome: 'mismatch',
        differences: [{ path: '$', python: `raised ${python.error.type}: ${python.error.message}`, port: describe(port.value) }],
      }
    }
    const differences = differencesOf(python.value, port.value)
    if (differences.length === 0) return { outcome: 'match', differences }
    const ignoredBy = ignore.match(python.value, port.value, differences)
    const kept = differences.slice(0, MAX_KEPT)
    return ignoredBy === undefined ? { outcome: 'mismatch', differences: kept } : { outcome: 'ignored', differences: kept, ignoredBy }
  }
}
