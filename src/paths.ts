import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * Where pyport's own files are, whether it runs from source (vitest), from dist/ (the CLI) or installed
 * under node_modules: walk up to the package.json named "pyport".
 */
function findPackageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url))
  for (;;) {
    const pkg = path.join(dir, 'package.json')
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'pyport') return dir
      } catch {
        // not ours; keep walking
      }
    }
    const parent = path.dirname(dir)
    if (parent === dir) throw new Error('pyport: cannot find its own package.json above ' + fileURLToPath(import.meta.url))
    dir = parent
  }
}

export const packageRoot: string = findPackageRoot()

/** A file under python/, e.g. pythonFile('pyport', 'bridge', 'boot.py'). */
export function pythonFile(...parts: string[]): string {
  return path.join(packageRoot, 'python', ...parts)
}

/**
 * The compiled JavaScript for a module next to `fromUrl`: worker threads need real .js files, so when the
 * caller runs from TypeScript source (tests), point at the same file under dist/.
 */
export function compiledSibling(fromUrl: string | URL, jsName: string): URL {
  const here = fileURLToPath(fromUrl)
  const sibling = path.join(path.dirname(here), jsName)
  if (existsSync(sibling)) return new URL(`file://${sibling}`)
  const rel = path.relative(packageRoot, sibling)
  if (!rel.startsWith('..') && !rel.startsWith('dist' + path.sep)) {
    const inDist = path.join(packageRoot, 'dist', rel)
    if (existsSync(inDist)) return new URL(`file://${inDist}`)
    throw new Error(`pyport: ${jsName} is not built (looked for ${inDist}); run \`npm run build\` first`)
  }
  throw new Error(`pyport: cannot find ${sibling}`)
}
