// The TypeScript host of the research agent: it only calls agent.py's own answer(). answer() calls rank_documents,
// which is decorated with @port, and the bridge serves each of those calls in the port's mode: in Python, in the
// TypeScript port, or in both (shadow), chosen without a code change.
import { parseArgs } from 'node:util'
import { performance } from 'node:perf_hooks'
import { HybridConfigError, PythonNotFoundError, renderReport, type Mode } from '../../src/index.js'
import { percentile } from '../../src/harness/stats.js'
import { openAgent } from './setup.js'

const usage = `Usage: node dist/examples/research-agent/host.js [--questions N] [--port fixed|naive] [--record FILE] [--mode python|ts|shadow] [--search-ms MS] [--rtol X]
The mode defaults to $PYPORT_MODE_RANK_DOCUMENTS, then $PYPORT_MODE, then python.`

function fail(message: string): never {
  process.stderr.write(`${message}\n${usage}\n`)
  process.exit(2)
}

async function main(): Promise<void> {
  let values
  try {
    ;({ values } = parseArgs({
      options: {
        questions: { type: 'string', default: '40' },
        port: { type: 'string', default: 'fixed' },
        record: { type: 'string' },
        mode: { type: 'string' },
        'search-ms': { type: 'string', default: '30' },
        rtol: { type: 'string', default: '1e-12' },
      },
    }))
  } catch (err) {
    fail((err as Error).message)
  }
  const questions = Number(values.questions)
  const searchMs = Number(values['search-ms'])
  if (!Number.isSafeInteger(questions) || questions < 1) fail(`--questions expects a whole number >= 1, got "${values.questions}"`)
  if (!(searchMs >= 0)) fail(`--search-ms expects a number >= 0, got "${values['search-ms']}"`)
  const rtol = Number(values.rtol)
  if (!(rtol >= 0)) fail(`--rtol expects a number >= 0, got "${values.rtol}"`)
  if (values.port !== 'fixed' && values.port !== 'naive') fail(`--port expects fixed or naive, got "${values.port}"`)

  const agent = await openAgent({
    port: values.port,
    rtol,
    mode: (values.mode || undefined) as Mode | undefined,
    record: values.record || undefined,
  })
  try {
    const { port } = agent
    console.log(`rank_documents runs in mode "${port.mode}" (from ${port.modeSource}), port: ${values.port}`)
    const qs = await agent.call<string[]>('sample_questions', [questions])
    const answerMs: number[] = []
    const t0 = performance.now()
    let first = ''
    for (const q of qs) {
      const t = performance.now()
      const answer = await agent.call<string>('answer', [q, searchMs / 1000])
      answerMs.push(performance.now() - t)
      first ||= answer
    }
    const wall = (performance.now() - t0) / 1000
    console.log(`first answer: ${first.length > 160 ? `${first.slice(0, 159)}…` : first}`)
    console.log(
      `${qs.length} questions in ${wall.toFixed(2)} s; answer() from the host: p50 ${percentile(answerMs, 50).toFixed(1)} ms, p99 ${percentile(answerMs, 99).toFixed(1)} ms`,
    )
    await port.settled()
    process.stdout.write(renderReport(port.report()))
    if (values.record) console.log(`records appended to ${values.record}`)
  } finally {
    await agent.close()
  }
}

main().catch((err: unknown) => {
  // Configuration errors say what to fix; a stack trace would only bury that.
  const known = err instanceof HybridConfigError || err instanceof PythonNotFoundError
  process.stderr.write(`research-agent: ${known ? (err as Error).message : ((err as Error | null | undefined)?.stack ?? String(err))}\n`)
  process.exitCode = 1
})
