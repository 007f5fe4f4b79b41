// What `npm pack` publishes, and what installing it runs: checked offline with `npm pack --dry-run`.
import { execa } from 'execa'
import { existsSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'

const repoRoot = fileURLToPath(new URL('..', import.meta.url))
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- package.json is read for the fields the tests then check
const readJson = (file: string) => JSON.parse(readFileSync(path.join(repoRoot, file), 'utf8')) as Record<string, any>
const pkg = readJson('package.json')
const lock = readJson('package-lock.json')

describe('the published package', () => {
  let packed: Set<string>

  beforeAll(async () => {
    if (!existsSync(path.join(repoRoot, 'dist/src/index.js'))) throw new Error('run `npm run build` first: the package ships dist/')
    // --ignore-scripts: list what dist/ holds now, without prepack rebuilding it
    const r = await execa('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: repoRoot })
    packed = new Set((JSON.parse(r.stdout) as [{ files: { path: string }[] }])[0].files.map((f) => f.path))
  })

  it('ships the MIT LICENSE that package.json names', () => {
    expect(pkg['license']).toBe('MIT')
    expect(packed.has('LICENSE')).toBe(true)
    const text = readFileSync(path.join(repoRoot, 'LICENSE'), 'utf8')
    expect(text).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} pyport contributors\n/)
  })

  it('ships the source of every source map: each map in the package points at files in the package', () => {
    const maps = [...packed].filter((f) => f.endsWith('.map'))
    expect(maps.length).toBeGreaterThan(50)
    const missing: string[] = []
    for (const map of maps) {
      const { sources } = JSON.parse(readFileSync(path.join(repoRoot, map), 'utf8')) as { sources: string[] }
      for (const s of sources) {
        const target = path.posix.normalize(path.posix.join(path.posix.dirname(map), s))
        if (!packed.has(target)) missing.push(`${map} -> ${target}`)
      }
    }
    expect(missing).toEqual([])
  })

  it.runIf(process.platform !== 'win32')('builds the `pyport` bin executable, with its shebang (npx runs the file itself)', () => {
    const bin = (pkg['bin'] as Record<string, string>)['pyport'] ?? ''
    expect(bin).toBe('./dist/src/cli/main.js')
    const file = path.join(repoRoot, bin)
    // tsc writes 0644; a stale npx cache of this folder runs the file directly, so a rebuild must keep it executable
    expect(statSync(file).mode & 0o111).toBe(0o111)
    expect(readFileSync(file, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node')
  })

  it('runs no script when installed (no prepare/preinstall/install/postinstall); packing builds dist/', () => {
    const scripts = pkg['scripts'] as Record<string, string>
    for (const name of ['prepare', 'preinstall', 'install', 'postinstall']) expect(scripts).not.toHaveProperty(name)
    expect(scripts['prepack']).toBe('npm run build')
    expect(scripts['test']).toMatch(/^npm run build && /)
  })

  it('pins pythonia exactly, as package-lock.json does (npm ci accepts the lock)', () => {
    expect(pkg['dependencies']['pythonia']).toMatch(/^\d+\.\d+\.\d+$/)
    expect(lock['packages']['node_modules/pythonia']['version']).toBe(pkg['dependencies']['pythonia'])
    const root = lock['packages']['']
    expect(root['dependencies']).toEqual(pkg['dependencies'])
    expect(root['devDependencies']).toEqual(pkg['devDependencies'])
  })
})
