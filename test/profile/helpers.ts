import { fileURLToPath } from 'node:url'
import { profile, type ProfileOptions } from '../../src/profile/profile.js'
import type { ProfileTarget } from '../../src/profile/target.js'

export const fixtures = fileURLToPath(new URL('../fixtures/profile/', import.meta.url))
export const fixture = (name: string) => fixtures + name

/** Fixed calibration so tests do not depend on the machine's speed; calibration has its own test. */
export const fixed = { speedup: 30, bridgeUs: 200 } as const

export function profileFixture(target: ProfileTarget, options: ProfileOptions = {}) {
  return profile(target, { output: 'capture', stdin: 'ignore', cwd: fixtures, ...fixed, ...options })
}

export const byName = <T extends { name: string }>(rows: T[], name: string): T => {
  const row = rows.find((r) => r.name === name)
  if (!row) throw new Error(`no row named ${name} in ${rows.map((r) => r.name).join(', ')}`)
  return row
}
