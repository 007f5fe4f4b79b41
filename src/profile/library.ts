import type { RawFrame } from './raw.js'

/**
 * Where one sample's self time went, seen from the innermost user frame: the frames above it decide.
 *   import   an import is running (the import machinery is above): named by what the statement imports, else by
 *            the first module being executed
 *   package  a third-party package's code is above: named by the first (outermost) one, the package the user called
 *   stdlib   only standard-library code is above
 *   own      nothing but the user's code (and the C functions it calls, which sampling cannot see)
 */
export type Bucket = { kind: 'own' } | { kind: 'stdlib' | 'package' | 'import'; name: string }

const OWN: Bucket = { kind: 'own' }

export function bucketOf(frames: RawFrame[], stack: number[], innermostUser: number): Bucket {
  if (innermostUser < 0) return OWN
  const above: RawFrame[] = []
  for (let i = innermostUser + 1; i < stack.length; i++) {
    const f = frames[stack[i] as number]
    if (f) above.push(f)
  }
  const imp = above.findIndex((f) => f.kind === 'import')
  if (imp >= 0) {
    const named = above.slice(imp).find((f) => f.package !== null && f.kind !== 'user' && f.kind !== 'pyport')
    return { kind: 'import', name: named?.package ?? '(module search)' }
  }
  const pkg = above.find((f) => f.kind === 'package')
  if (pkg) return { kind: 'package', name: pkg.package ?? '(unnamed package)' }
  const std = above.find((f) => f.kind === 'stdlib')
  if (std) return { kind: 'stdlib', name: std.package ?? 'stdlib' }
  return OWN
}

/** The package (or the standard library) holding at least `share` of a function's self CPU, if any. */
export function dominantLibrary(
  split: { stdlibS: number; packages: Record<string, number> },
  selfCpuS: number,
  share: number,
): { name: string; stdlib: boolean; cpuS: number; share: number } | undefined {
  if (!(selfCpuS > 0)) return undefined
  const parts: { name: string; stdlib: boolean; cpuS: number }[] = Object.entries(split.packages).map(([name, cpuS]) => ({
    name,
    stdlib: false,
    cpuS,
  }))
  parts.push({ name: 'the standard library', stdlib: true, cpuS: split.stdlibS })
  const top = parts.sort((a, b) => b.cpuS - a.cpuS)[0]
  return top && top.cpuS / selfCpuS >= share ? { ...top, share: top.cpuS / selfCpuS } : undefined
}
