// bench/ imports src/ (its suites use pyport), so src/ must never import bench/: the CLI loads bench/suites.ts by a
// path resolved at run time (src/cli/bench.ts). This greps every source file for an import that resolves into bench/.
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const repoRoot = fileURLToPath(new URL('..', import.meta.url))
const srcDir = path.join(repoRoot, 'src')
const benchDir = path.join(repoRoot, 'bench')

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name)
    return e.isDirectory() ? sourceFiles(p) : /\.(ts|mts|js|mjs)$/.test(e.name) ? [p] : []
  })
}

/** Every module specifier: `from '…'`, `import '…'`, `import('…')`, `require('…')`. */
function specifiers(text: string): string[] {
  const found: string[] = []
  for (const m of text.matchAll(
    /\bfrom\s*['"]([^'"]+)['"]|\bimport\s*['"]([^'"]+)['"]|\bimport\s*\(\s*['"`]([^'"`]+)['"`]|\brequire\s*\(\s*['"]([^'"]+)['"]/g,
  )) {
    found.push((m[1] ?? m[2] ?? m[3] ?? m[4]) as string)
  }
  return found
}

describe('layering', () => {
  it('no file under src/ imports from bench/', () => {
    const files = sourceFiles(srcDir)
    expect(files.length).toBeGreaterThan(50)
    const offenders: string[] = []
    for (const file of files) {
      const text = readFileSync(file, 'utf8')
      for (const spec of specifiers(text)) {
        const intoBench = spec.startsWith('.')
          ? !path.relative(benchDir, path.resolve(path.dirname(file), spec)).startsWith('..')
          : /(^|\/)bench\//.test(spec)
        if (intoBench) offenders.push(`${path.relative(repoRoot, file)}: ${spec}`)
      }
    }
    expect(offenders).toEqual([])
  })

  it('the check sees an import into bench/ (it would have caught src/harness/suites.ts)', () => {
    const file = path.join(srcDir, 'harness', 'suites.ts')
    const spec = specifiers("load: async () => (await import('../../bench/article/suite.js')).articleSuite")[0] as string
    expect(path.relative(benchDir, path.resolve(path.dirname(file), spec)).startsWith('..')).toBe(false)
  })

  it('each shared helper has one home: isPlainObject, the ANSI regex, checkTimeout, reading PYPORT_DEBUG', () => {
    const defs: Record<string, RegExp> = {
      'src/util/plain-object.ts': /function isPlainObject\b/,
      'src/util/debug.ts': /\[['"]PYPORT_DEBUG['"]\]|\.PYPORT_DEBUG\b/,
      'src/util/ansi.ts': /\\u001b\\\[/,
      'src/option-checks.ts': /function checkTimeout\b/,
    }
    for (const [home, pattern] of Object.entries(defs)) {
      const where = sourceFiles(srcDir)
        .filter((f) => pattern.test(readFileSync(f, 'utf8')))
        .map((f) => path.relative(repoRoot, f))
      expect(where, String(pattern)).toEqual([home])
    }
  })
})
