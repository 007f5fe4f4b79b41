import { classify } from './classify.js'
import type { CpuSplit, FunctionProfile, FunctionTimes } from './types.js'

/**
 * Lambdas, closures, nested functions and classes defined inside functions cannot be ported on their own: a port
 * replaces something the rest of the program calls by name. That is the nearest enclosing function reachable from
 * its module: a module-level function or a method of a module-level class.
 *
 *   fuzzy_match.<locals>.<lambda>        → fuzzy_match
 *   Ranker.score.<locals>.helper         → Ranker.score
 *   main.<locals>.Worker.run             → main
 *   <lambda>, Config.<lambda>            → none (module or class level: give it a name with def)
 */

/** A module-level function or a method of a module-level class: no `<locals>`, no `<lambda>`, no `<genexpr>`. */
export function reachableByName(qualname: string): boolean {
  return !qualname.split('.').some((part) => part.startsWith('<'))
}

/**
 * The qualified name of the function a port of `qualname` replaces: itself when reachable by name, else the
 * nearest enclosing reachable function, or null when there is none (a lambda at module or class level).
 */
export function portUnitName(qualname: string): string | null {
  if (reachableByName(qualname) || qualname === '<module>') return qualname
  const parts = qualname.split('.')
  const locals = parts.indexOf('<locals>')
  if (locals <= 0) return null
  return portUnitName(parts.slice(0, locals).join('.'))
}

/** What a nested function is called in advice: "a lambda", "a nested function `helper`"… */
export function nestedKind(qualname: string): string {
  const last = qualname.split('.').at(-1) ?? qualname
  if (last === '<lambda>') return 'a lambda'
  if (last.startsWith('<')) return `a ${last.slice(1, -1)}`
  const parts = qualname.split('.')
  const locals = parts.lastIndexOf('<locals>')
  return locals >= 0 && locals < parts.length - 2
    ? `a method of a class defined inside a function (\`${last}\`)`
    : `a nested function \`${last}\``
}

/**
 * For each function that is not reachable by name, the key of the function a port replaces (same file, the
 * enclosing qualified name, the nearest definition above it), or null when there is none.
 */
export function portUnits(functions: FunctionProfile[]): Map<string, string | null> {
  const byFileName = new Map<string, FunctionProfile[]>()
  for (const f of functions) {
    const k = `${f.file}\0${f.name}`
    byFileName.set(k, [...(byFileName.get(k) ?? []), f])
  }
  const units = new Map<string, string | null>()
  for (const f of functions) {
    if (f.key.startsWith('~:') || reachableByName(f.name) || f.name === '<module>') continue
    const unit = portUnitName(f.name)
    const candidates = unit === null ? [] : (byFileName.get(`${f.file}\0${unit}`) ?? [])
    const above = candidates.filter((c) => c.line <= f.line).sort((a, b) => b.line - a.line)[0] ?? candidates[0]
    units.set(f.key, above?.key ?? null)
  }
  return units
}

function sumTimes(a: FunctionTimes, b: FunctionTimes): FunctionTimes {
  return {
    cpuS: a.cpuS + b.cpuS,
    gilS: a.gilS + b.gilS,
    ioS: a.ioS + b.ioS,
    coreS: a.coreS + b.coreS,
    lockS: a.lockS + b.lockS,
    wallS: a.wallS + b.wallS,
    samples: a.samples + b.samples,
  }
}

function sumSplits(a: CpuSplit, b: CpuSplit): CpuSplit {
  const packages = { ...a.packages }
  for (const [name, s] of Object.entries(b.packages)) packages[name] = (packages[name] ?? 0) + s
  return { ownS: a.ownS + b.ownS, stdlibS: a.stdlibS + b.stdlibS, packages, importS: a.importS + b.importS }
}

/**
 * A function as a port of it would see it: its own figures plus those of the functions defined inside it (their
 * calls happen inside the port, so only the enclosing function's calls cross the bridge).
 */
export function withInner(f: FunctionProfile, inner: FunctionProfile[], intervalS: number): FunctionProfile {
  if (inner.length === 0) return f
  const self = inner.reduce((t, g) => sumTimes(t, g.self), f.self)
  const imports = new Map(f.imports.map((i) => [i.name, { ...i }]))
  for (const g of inner) {
    for (const i of g.imports) {
      const m = imports.get(i.name) ?? { name: i.name, cpuS: 0, wallS: 0 }
      m.cpuS += i.cpuS
      m.wallS += i.wallS
      imports.set(i.name, m)
    }
  }
  return {
    ...f,
    self,
    selfCpuShare: inner.reduce((t, g) => t + g.selfCpuShare, f.selfCpuShare),
    selfCpuIn: inner.reduce((t, g) => sumSplits(t, g.selfCpuIn), f.selfCpuIn),
    imports: [...imports.values()].sort((x, y) => y.wallS - x.wallS),
    class: classify(self, f.cum, intervalS),
  }
}

/** The part of an inner function's qualified name below the function it is defined in: "<lambda>", "helper". */
export function innerLabel(inner: string, enclosing: string): string {
  const prefix = `${enclosing}.<locals>.`
  return inner.startsWith(prefix) ? inner.slice(prefix.length) : inner
}
