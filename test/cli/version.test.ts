import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { runInProcess, runPyport } from './helpers.js'

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }

describe('pyport --version', () => {
  it("prints package.json's version when run from source (src/cli, as in tests)", async () => {
    const r = await runInProcess(['--version'])
    expect(r).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' })
  })

  it('prints the same from the built binary (dist/src/cli)', async () => {
    const r = await runPyport(['--version'])
    expect(r.exitCode).toBe(0)
    expect(r.stdout).toBe(version)
  })
})
