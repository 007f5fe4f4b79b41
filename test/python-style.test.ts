// The Python side has no formatter (standard library only: no black, no PyPI), so its one house rule is checked
// here: lines wrapped at 140 columns, as prettier wraps the TypeScript.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const repoRoot = fileURLToPath(new URL('..', import.meta.url))
const WIDTH = 140

describe('Python sources', () => {
  it(`are wrapped at ${WIDTH} columns`, () => {
    const files = execFileSync('git', ['ls-files', '*.py'], { cwd: repoRoot, encoding: 'utf8' }).split('\n').filter(Boolean)
    expect(files.length).toBeGreaterThan(20)
    const long = files.flatMap((f) =>
      readFileSync(path.join(repoRoot, f), 'utf8')
        .split('\n')
        .flatMap((line, i) => (line.length > WIDTH ? [`${f}:${i + 1} (${line.length})`] : [])),
    )
    expect(long).toEqual([])
  })
})
