import { existsSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { PortLoadError } from './errors.js'

export interface PortLocation {
  /** Absolute path of the compiled port module. */
  filename: string
  /** The export to call; "default" for the default export. */
  exportName: string
}

/** `dist/ports/rank.js#rankDocuments` (CLI form) → file and export; no `#` means the default export. */
export function parsePortSpec(spec: string, cwd = process.cwd()): PortLocation {
  const hash = spec.lastIndexOf('#')
  const file = hash === -1 ? spec : spec.slice(0, hash)
  const exportName = hash === -1 ? 'default' : spec.slice(hash + 1)
  if (file === '' || exportName === '') throw new PortLoadError({ reason: 'bad-spec', spec, filename: file, exportName })
  return { filename: path.resolve(cwd, file), exportName }
}

export function toPath(filename: string | URL): string {
  if (filename instanceof URL) return fileURLToPath(filename)
  return filename.startsWith('file:') ? fileURLToPath(filename) : path.resolve(filename)
}

/**
 * Checks what can be checked without loading the module: worker threads import real JavaScript, so a missing
 * file or a .ts source is an error that says what to build and point at.
 */
export function checkPortFile(location: PortLocation): string {
  const { filename, exportName } = location
  if (!existsSync(filename) || !statSync(filename).isFile()) {
    throw new PortLoadError({ reason: 'missing-file', filename, exportName })
  }
  if (/\.(c|m)?tsx?$/.test(filename)) throw new PortLoadError({ reason: 'typescript-source', filename, exportName })
  return pathToFileURL(filename).href
}
