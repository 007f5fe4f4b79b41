import { mkdtempSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openAgent, type Agent } from '../../examples/research-agent/setup.js'
import type { Doc, Ranked } from '../../examples/research-agent/ports/bm25.js'
import { pyRound } from '../../examples/research-agent/ports/rank-documents.js'
import { cli } from './cli-io.js'

// The worked example end to end: the real Python agent through PythonBridge, the real ports in a WorkerPool.
const QUESTIONS = 60
let naive: Agent
let fixed: Agent
let inputs: [string, Doc[]][]
const tmp = mkdtempSync(path.join(os.tmpdir(), 'pyport-example-'))

beforeAll(async () => {
  naive = await openAgent({ mode: 'shadow', port: 'naive', threads: 1, readyAfter: QUESTIONS })
  fixed = await openAgent({ mode: 'shadow', port: 'fixed', threads: 1, readyAfter: QUESTIONS, record: path.join(tmp, 'shadow.jsonl') })
  const qs = await fixed.call<string[]>('sample_questions', [QUESTIONS])
  inputs = await Promise.all(qs.map(async (q) => [q, await fixed.call<Doc[]>('search', [q, 80, 0])] as [string, Doc[]]))
})
afterAll(async () => {
  await Promise.allSettled([naive?.close(), fixed?.close()])
})

describe('examples/research-agent', () => {
  it('pyRound rounds halves to even like Python round()', () => {
    expect([0.5, 1.5, 2.5, 12.5, 62.5, -2.5, -3.5, 2.4, 2.6].map(pyRound)).toEqual([0, 2, 2, 12, 62, -2, -4, 2, 3])
  })

  it('shadow mode catches the naive port rounding coverage halves up, and the report names the path', async () => {
    for (const [q, docs] of inputs) {
      await naive.rank(q, docs, 5)
      await naive.rank.settled() // see the next test: no call may be skipped for a full shadow backlog
    }
    const r = naive.rank.report()
    expect(r.mismatches).toBeGreaterThan(0)
    expect(r.verdict.ready).toBe(false)
    for (const e of r.examples) for (const d of e.differences) expect(d.path).toMatch(/^\$\[\d\]\.coverage$/)
    expect(Number(r.examples[0]?.differences[0]?.port) - Number(r.examples[0]?.differences[0]?.python)).toBe(1)
  })

  it('the fixed port matches Python on every call, and the verdict says ready to switch', async () => {
    const returned: Ranked[][] = []
    for (const [q, docs] of inputs) {
      returned.push(await fixed.rank(q, docs, 5))
      // The shadow pool runs at nice 19 on a shared machine, and starts cold: a starved port falls behind Python,
      // fills the shadow backlog (maxShadowBacklog) and has calls skipped. Waiting for each comparison keeps every
      // call compared, so the counts below do not depend on the machine's load.
      await fixed.rank.settled()
    }
    const r = fixed.rank.report()
    expect([r.matches, r.mismatches, r.portErrors, r.portTimeouts, r.skipped]).toEqual([QUESTIONS, 0, 0, 0, 0])
    expect(r.verdict.ready).toBe(true)
    expect(returned.some((x) => x.length > 0)).toBe(true)
  })

  it('pyport verify replays the recorded calls against the naive port (exit 1) and the fixed one (exit 0)', async () => {
    await fixed.rank.settled()
    const corpus = path.join(tmp, 'shadow.jsonl')
    const ports = path.join(path.dirname(new URL(import.meta.url).pathname), '../../dist/examples/research-agent/ports')
    const bad = await cli(['verify', '--corpus', corpus, '--port', `${ports}/rank-documents-naive.js#rankDocuments`, '--rtol', '1e-12', '--threads', '1', '--quiet'])
    expect(bad.code).toBe(1)
    expect(bad.stdout).toMatch(/\$\[\d\]\.coverage: python (12|62), port (13|63)/)
    const good = await cli(['verify', '--corpus', corpus, '--port', `${ports}/rank-documents.js#rankDocuments`, '--rtol', '1e-12', '--threads', '1', '--ready-after', String(QUESTIONS), '--quiet'])
    expect(good.stdout).toMatch(/ready to switch/)
    expect(good.code).toBe(0)
  })
})
