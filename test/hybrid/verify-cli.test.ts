import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { hybrid } from '../../src/hybrid/hybrid.js'
import { portFixture } from '../workers/fixtures.js'
import { cli } from './cli-io.js'

const tmp = mkdtempSync(path.join(os.tmpdir(), 'pyport-verify-'))
const add = portFixture('math.mjs') + '#add'

/** A corpus recorded the real way: hybrid in python mode with `record`. */
async function recordCorpus(file: string, calls: [number, number][], python = async (a: number, b: number) => a + b): Promise<void> {
  const fn = hybrid({ name: 'add', mode: 'python', record: file, python, ts: python })
  for (const [a, b] of calls) await fn(a, b).catch(() => undefined)
  await fn.close()
}

describe('pyport verify', () => {
  it('passes (exit 0) when the port matches every recorded call, and prints parity and speed', async () => {
    const corpus = path.join(tmp, 'good.jsonl')
    await recordCorpus(
      corpus,
      Array.from({ length: 50 }, (_, i) => [i, i * 3] as [number, number]),
    )
    const r = await cli(['verify', '--corpus', corpus, '--port', add, '--threads', '1', '--ready-after', '50', '--quiet'])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/calls 50, compared 50: 50 matched, 0 mismatched/)
    expect(r.stdout).toMatch(/verdict: ready to switch: 50 matched calls/)
    expect(r.stdout).toMatch(/replayed 50 calls in [\d.]+ s: \d+ calls\/s/)
    expect(r.stdout).toMatch(/PASS\n$/)
  })

  it('exits 1 on a mismatch and names the call and the difference; --json writes the details', async () => {
    const corpus = path.join(tmp, 'off-by-one.jsonl')
    await recordCorpus(
      corpus,
      [
        [1, 2],
        [2, 2],
        [3, 4],
      ],
      async (a, b) => (a === 2 ? a + b + 1 : a + b),
    )
    const json = path.join(tmp, 'verify.json')
    const r = await cli(['verify', '--corpus', corpus, '--port', add, '--threads', '1', '--json', json, '--quiet'])
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/2 matched, 1 mismatched/)
    expect(r.stdout).toMatch(/mismatch at line 2: args \[2, 2\]\n\s+\$: python 5, port 4/)
    const report = JSON.parse(readFileSync(json, 'utf8'))
    expect(report).toMatchObject({ passed: false, mismatches: 1, matches: 2, name: 'add' })
    expect(report.examples[0].differences[0]).toEqual({ path: '$', python: '5', port: '4' })
  })

  it('a corrupt or truncated line is an error naming the line; the other lines are still verified', async () => {
    const corpus = path.join(tmp, 'corrupt.jsonl')
    await recordCorpus(corpus, [
      [1, 1],
      [2, 2],
    ])
    const lines = readFileSync(corpus, 'utf8').trim().split('\n')
    const good = lines[0] as string
    writeFileSync(corpus, [good, '{"v":1,"name":"add","args":[1,1]}', 'not json at all', lines[1], good.slice(0, 25)].join('\n'))
    const r = await cli(['verify', '--corpus', corpus, '--port', add, '--threads', '1', '--quiet'])
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/compared 2: 2 matched/)
    expect(r.stdout).toMatch(/line 2: "python" must be an object/)
    expect(r.stdout).toMatch(/line 3: not valid JSON .*truncated or corrupt line/)
    expect(r.stdout).toMatch(/line 5: not valid JSON/)
    expect(r.stdout).toMatch(/FAIL: 3 bad corpus lines/)
  })

  it('compares Python errors too: both raising is a match, the port returning where Python raised is a mismatch', async () => {
    const corpus = path.join(tmp, 'errors.jsonl')
    await recordCorpus(corpus, [[1, 1]], async () => {
      throw Object.assign(new Error('boom'), { pythonType: 'ValueError' })
    })
    const r = await cli(['verify', '--corpus', corpus, '--port', add, '--threads', '1', '--quiet'])
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/\$: python raised ValueError: boom, port 2/)
  })

  it('Python raising and the port crashing its worker is a port error, not a match (exit 1)', async () => {
    const corpus = path.join(tmp, 'raise-vs-crash.jsonl')
    await recordCorpus(corpus, [[1, 1]], async () => {
      throw Object.assign(new Error('boom'), { pythonType: 'ValueError' })
    })
    const r = await cli(['verify', '--corpus', corpus, '--port', portFixture('exits.mjs'), '--threads', '1', '--quiet'])
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/0 matched, 0 mismatched, 0 ignored, 1 port errors/)
    expect(r.stdout).toMatch(/\$: python raised ValueError: boom, port threw PortCrashedError: .*exited with code: 3/)
  })

  it('skips records whose arguments could not be recorded (a class instance), and verifies the rest', async () => {
    const corpus = path.join(tmp, 'class-arg.jsonl')
    class Pair {
      constructor(
        readonly a: number,
        readonly b: number,
      ) {}
    }
    const fn = hybrid({
      name: 'add',
      mode: 'python',
      record: corpus,
      python: async (a: unknown, b?: number) => (a instanceof Pair ? a.a + a.b : (a as number) + (b as number)),
      ts: async () => 0,
    })
    await fn(new Pair(1, 2))
    await fn(2, 3)
    await fn.close()
    const r = await cli(['verify', '--corpus', corpus, '--port', add, '--threads', '1', '--quiet'])
    expect(r.stdout).toMatch(/compared 1: 1 matched/)
    expect(r.stdout).toMatch(/\(1 records skipped\)/)
    expect(r.code).toBe(0)
  })

  it('reports port errors and timeouts per call, and keeps going', async () => {
    const corpus = path.join(tmp, 'faults.jsonl')
    const fn = hybrid({ name: 'faults', mode: 'python', record: corpus, python: async (what: string, v: unknown) => v, ts: async () => 0 })
    await fn('echo', 1)
    await fn('throw', 2)
    await fn('hang', 3)
    await fn('echo', 4)
    await fn.close()
    const r = await cli([
      'verify',
      '--corpus',
      corpus,
      '--port',
      portFixture('faults.mjs'),
      '--threads',
      '1',
      '--timeout-ms',
      '300',
      '--quiet',
    ])
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/2 matched, 0 mismatched, 0 ignored, 1 port errors, 1 port timeouts/)
    expect(r.stdout).toMatch(/port-error at line 2: .*\n\s+\$: python 2, port threw RangeError: bad value 2/)
  })

  it('a port file that does not exist or exports nothing callable is a usage error (exit 2)', async () => {
    const corpus = path.join(tmp, 'one.jsonl')
    await recordCorpus(corpus, [[1, 1]])
    const missing = await cli(['verify', '--corpus', corpus, '--port', path.join(tmp, 'nope.js')])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toMatch(/nope\.js does not exist/)
    const nothing = await cli(['verify', '--corpus', corpus, '--port', portFixture('no-callable.mjs')])
    expect(nothing.code).toBe(2)
    expect(nothing.stderr).toMatch(/callable exports: none/)
    const wrongExport = await cli(['verify', '--corpus', corpus, '--port', `${portFixture('math.mjs')}#nope`])
    expect(wrongExport.stderr).toMatch(/no such export; callable exports: add, slowDouble/)
  })

  it('a bad --ignore-path is bad usage (exit 2) naming the rule, decided by the error class', async () => {
    const corpus = path.join(tmp, 'ignore.jsonl')
    await recordCorpus(corpus, [[1, 1]])
    const r = await cli(['verify', '--corpus', corpus, '--port', add, '--ignore-path', 'score', '--quiet'])
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr).toMatch(
      /pyport verify: ignore rule 0 \("--ignore-path score"\): `path` must be a pattern starting with \$, e\.g\. "\$\[\*\]\.score", got "score"/,
    )
  })

  it('bad flags, a missing corpus and a mixed corpus are clear errors', async () => {
    expect((await cli(['verify', '--port', add])).stderr).toMatch(/--corpus FILE.jsonl is required/)
    expect((await cli(['verify', '--corpus', 'x.jsonl'])).stderr).toMatch(/--port FILE.js\[#export\] is required/)
    expect((await cli(['verify', '--corpus', 'x', '--port', add, '--rtol', 'abc'])).stderr).toMatch(
      /--rtol expects a number >= 0, got "abc"/,
    )
    const gone = await cli(['verify', '--corpus', path.join(tmp, 'absent.jsonl'), '--port', add])
    expect(gone.code).toBe(1)
    expect(gone.stderr).toMatch(/absent\.jsonl cannot be read/)
    const mixed = path.join(tmp, 'mixed.jsonl')
    await recordCorpus(mixed, [[1, 1]])
    const other = readFileSync(mixed, 'utf8').replace('"name":"add"', '"name":"sub"')
    appendFileSync(mixed, other)
    const m = await cli(['verify', '--corpus', mixed, '--port', add, '--quiet'])
    expect(m.stderr).toMatch(/several functions \(add, and sub at line 2\); pick one with --name/)
    expect((await cli(['verify', '--corpus', mixed, '--port', add, '--name', 'sub', '--quiet'])).stdout).toMatch(/1 records skipped/)
  })

  it('--ignore-path and --rtol accept known differences', async () => {
    const corpus = path.join(tmp, 'floaty.jsonl')
    await recordCorpus(corpus, [[0.1, 0.2]], async () => 0.3)
    expect((await cli(['verify', '--corpus', corpus, '--port', add, '--quiet'])).code).toBe(1)
    expect((await cli(['verify', '--corpus', corpus, '--port', add, '--rtol', '1e-12', '--quiet'])).code).toBe(0)
    const r = await cli(['verify', '--corpus', corpus, '--port', add, '--ignore-path', '$', '--quiet'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/1 ignored/)
  })
})
