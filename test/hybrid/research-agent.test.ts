import { mkdtempSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openAgent, type Agent } from '../../examples/research-agent/setup.js'
import { pyRound } from '../../examples/research-agent/ports/rank-documents.js'
import { execa } from 'execa'
import { cli } from './cli-io.js'

// The worked example end to end: the real Python agent through PythonBridge, its own answer() calling
// rank_documents (decorated with @port), served by the bridge's `ports` option from the real ports in a WorkerPool.
const QUESTIONS = 60
let naive: Agent
let fixed: Agent
let ts: Agent
let questions: string[]
const tmp = mkdtempSync(path.join(os.tmpdir(), 'pyport-example-'))

beforeAll(async () => {
  naive = await openAgent({ mode: 'shadow', port: 'naive', threads: 1, readyAfter: QUESTIONS })
  fixed = await openAgent({ mode: 'shadow', port: 'fixed', threads: 1, readyAfter: QUESTIONS, record: path.join(tmp, 'shadow.jsonl') })
  ts = await openAgent({ mode: 'ts', port: 'fixed', threads: 1 })
  questions = await fixed.call<string[]>('sample_questions', [QUESTIONS])
})
afterAll(async () => {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- beforeAll may have failed before it set them all
  await Promise.allSettled([naive?.close(), fixed?.close(), ts?.close()])
})

// answer() with no search latency: the test needs the ranking, not the simulated network wait.
const ask = (agent: Agent, q: string) => agent.call<string>('answer', [q, 0])
// Answers given in shadow mode, by the fixed port's agent: Python's own answers (shadow never changes them).
const pythonAnswers: string[] = []

describe('examples/research-agent', () => {
  it('pyRound rounds halves to even like Python round()', () => {
    expect([0.5, 1.5, 2.5, 12.5, 62.5, -2.5, -3.5, 2.4, 2.6].map(pyRound)).toEqual([0, 2, 2, 12, 62, -2, -4, 2, 3])
  })

  it('shadow mode catches the naive port rounding coverage halves up, and the report names the path', async () => {
    expect([naive.port.mode, naive.port.modeSource]).toEqual(['shadow', 'option'])
    for (const q of questions) {
      await ask(naive, q)
      await naive.port.settled() // see the next test: no call may be skipped for a full shadow backlog
    }
    const r = naive.port.report()
    expect(r.mismatches).toBeGreaterThan(0)
    expect(r.verdict.ready).toBe(false)
    for (const e of r.examples) for (const d of e.differences) expect(d.path).toMatch(/^\$\[\d\]\.coverage$/)
    expect(Number(r.examples[0]?.differences[0]?.port) - Number(r.examples[0]?.differences[0]?.python)).toBe(1)
  })

  it('the fixed port matches Python on every call, and the verdict says ready to switch', async () => {
    for (const q of questions) {
      pythonAnswers.push(await ask(fixed, q))
      // The shadow pool runs at nice 19 on a shared machine, and starts cold: a starved port falls behind Python,
      // fills the shadow backlog (maxShadowBacklog) and has calls skipped. Waiting for each comparison keeps every
      // call compared, so the counts below do not depend on the machine's load.
      await fixed.port.settled()
    }
    const r = fixed.port.report()
    expect([r.calls, r.matches, r.mismatches, r.portErrors, r.portTimeouts, r.skipped]).toEqual([QUESTIONS, QUESTIONS, 0, 0, 0, 0])
    expect(r.verdict.ready).toBe(true)
    expect(pythonAnswers.some((a) => a.includes('% of your terms'))).toBe(true)
  })

  it('in ts mode, answer() gets its ranking from the port, and gives the same answers as Python', async () => {
    expect(pythonAnswers).toHaveLength(QUESTIONS)
    const answers: string[] = []
    for (const q of questions) answers.push(await ask(ts, q))
    expect(answers).toEqual(pythonAnswers)
    const r = ts.port.report()
    expect([ts.port.mode, r.calls, r.matches, r.portErrors]).toEqual(['ts', QUESTIONS, 0, 0])
    expect(r.port?.n).toBe(QUESTIONS) // every call ran in the port, none in Python
    expect(r.python).toBeNull()
  })

  it('in python mode, rank_documents is the plain function: no call reaches the host', async () => {
    const py = await openAgent({ mode: 'python', threads: 1 })
    try {
      expect(await ask(py, questions[0]!)).toBe(pythonAnswers[0])
      expect(py.port.report().calls).toBe(0)
    } finally {
      await py.close()
    }
  })

  it('pyport verify replays the recorded calls against the naive port (exit 1) and the fixed one (exit 0)', async () => {
    await fixed.port.settled()
    const corpus = path.join(tmp, 'shadow.jsonl')
    const ports = path.join(path.dirname(new URL(import.meta.url).pathname), '../../dist/examples/research-agent/ports')
    const bad = await cli([
      'verify',
      '--corpus',
      corpus,
      '--port',
      `${ports}/rank-documents-naive.js#rankDocuments`,
      '--rtol',
      '1e-12',
      '--threads',
      '1',
      '--quiet',
    ])
    expect(bad.code).toBe(1)
    expect(bad.stdout).toMatch(/\$\[\d\]\.coverage: python (12|62), port (13|63)/)
    const good = await cli([
      'verify',
      '--corpus',
      corpus,
      '--port',
      `${ports}/rank-documents.js#rankDocuments`,
      '--rtol',
      '1e-12',
      '--threads',
      '1',
      '--ready-after',
      String(QUESTIONS),
      '--quiet',
    ])
    expect(good.stdout).toMatch(/ready to switch/)
    expect(good.code).toBe(0)
  })

  it('pyport run runs agent.py as a program: shadow with the naive port mismatches on coverage, the fixed port matches', async () => {
    const root = path.join(path.dirname(new URL(import.meta.url).pathname), '../..')
    const main = path.join(root, 'dist/src/cli/main.js')
    const ports = path.join(root, 'dist/examples/research-agent/ports')
    const run = (file: string) =>
      execa(
        process.execPath,
        [
          main,
          'run',
          '--port',
          `rank_documents=${ports}/${file}#rankDocuments`,
          '--mode',
          'shadow',
          '--rtol',
          '1e-12',
          path.join(root, 'examples/research-agent/agent.py'),
          '40',
        ],
        { reject: false, timeout: 60_000 },
      )
    const [bad, good] = await Promise.all([run('rank-documents-naive.js'), run('rank-documents.js')])
    for (const r of [bad, good]) {
      expect(r.exitCode).toBe(0) // the program's own exit code: shadow never changes what Python gets
      expect(r.stdout).toMatch(/^On 'tell me about .*% of your terms\)\.\n40 questions in [\d.]+ s$/)
      expect(r.stderr).toMatch(/rank_documents \(mode shadow, from option\)/)
    }
    expect(bad.stderr).toMatch(/\d+ mismatched/)
    expect(bad.stderr).not.toMatch(/ 0 mismatched/)
    expect(bad.stderr).toMatch(/\$\[\d\]\.coverage: python (12|62), port (13|63)/)
    expect(good.stderr).toMatch(/ 0 mismatched, 0 ignored, 0 port errors, 0 port timeouts/)
  })
})
