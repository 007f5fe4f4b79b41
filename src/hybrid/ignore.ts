import { PyportOptionError } from '../errors.js'
import type { Difference } from './compare.js'

/**
 * A known, accepted difference between Python and the port. A mismatch is "ignored" (counted apart, not blocking
 * the switch) when a `when` rule returns true, or when every difference lies under some rule's `path`.
 */
export interface IgnoreRule {
  /** Why this difference is acceptable; shown in reports and records. */
  reason: string
  /** Path pattern: `*` is one key or index (`$[*].score`), `**` anything (`$.debug.**`). */
  path?: string
  when?: (python: unknown, port: unknown, differences: readonly Difference[]) => boolean
}

function pathRegex(pattern: string): RegExp {
  let re = ''
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string
    if (ch === '*' && pattern[i + 1] === '*') {
      re += '.*'
      i++
    } else if (ch === '*') re += '[^.\\[\\]]+'
    else re += ch.replace(/[\\^$.|?+()[\]{}]/g, '\\$&')
  }
  return new RegExp(`^${re}$`)
}

export interface CompiledIgnore {
  /** The reason of the rule that covers these differences, or undefined. */
  match(python: unknown, port: unknown, differences: readonly Difference[]): string | undefined
}

export function compileIgnoreRules(rules: readonly IgnoreRule[] = []): CompiledIgnore {
  const compiled = rules.map((r, i) => {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- validates plain-JS callers: the types rule out what this check still catches
    if (r === null || typeof r !== 'object' || typeof r.reason !== 'string' || r.reason === '') {
      throw new PyportOptionError({
        option: 'reason',
        form: 'needs',
        expected: "a `reason` string, e.g. { reason: 'float formatting', path: '$[*].score' }",
        received: r,
        owner: `ignore rule ${i}`,
      })
    }
    if (r.path === undefined && typeof r.when !== 'function') {
      throw new PyportOptionError({
        option: 'path',
        form: 'needs',
        expected: 'a `path` pattern or a `when` function',
        received: r.path,
        owner: `ignore rule ${i} ("${r.reason}")`,
      })
    }
    if (r.path !== undefined && (typeof r.path !== 'string' || !r.path.startsWith('$'))) {
      throw new PyportOptionError({
        option: 'path',
        expected: 'a pattern starting with $, e.g. "$[*].score"',
        received: r.path,
        owner: `ignore rule ${i} ("${r.reason}")`,
      })
    }
    return { ...r, regex: r.path === undefined ? undefined : pathRegex(r.path) }
  })
  return {
    match(python, port, differences) {
      if (differences.length === 0) return undefined
      for (const r of compiled) {
        if (r.when) {
          try {
            if (r.when(python, port, differences)) return r.reason
          } catch {
            // a faulty rule ignores nothing; it must never turn a comparison into a crash
          }
        }
      }
      const reasons = new Set<string>()
      for (const d of differences) {
        const r = compiled.find((x) => x.regex?.test(d.path))
        if (!r) return undefined
        reasons.add(r.reason)
      }
      return [...reasons].join('; ')
    },
  }
}
