import { fileURLToPath } from 'node:url'

/** Absolute path of a port fixture under test/fixtures/hybrid/ports. */
export function portFixture(name: string): string {
  return fileURLToPath(new URL(`../fixtures/hybrid/ports/${name}`, import.meta.url))
}
