import { execFileSync } from 'node:child_process'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { think, toolCall, waitSeconds } from '../../bench/agents/agent.js'
import { answerDifferences } from '../../bench/agents/answers.js'
import { packageRoot } from '../../src/paths.js'

const python = process.env['PYPORT_PYTHON'] ?? 'python3'

/** Runs agent.py's functions for the same inputs and returns what they computed. */
function inPython(code: string): unknown {
  const out = execFileSync(python, ['-c', `import json, agent\n${code}`], {
    cwd: path.join(packageRoot, 'bench', 'agents'),
    encoding: 'utf8',
  })
  return JSON.parse(out)
}

describe("agent.ts is agent.py's twin", () => {
  const cases = Array.from({ length: 40 }, (_, i) => [i * 13, i % 4, 1 + (i % 7)] as const)

  it('draws the same documents and the same waits for every agent and step', () => {
    const py = inPython(
      `print(json.dumps([[agent.tool_call(a, s)[0], agent.tool_call(a, s)[2], agent.wait_seconds(a, s, 0.25)] for a, s, _ in ${JSON.stringify(cases)}]))`,
    )
    const ts = cases.map(([a, s]) => [toolCall(a, s)[0], toolCall(a, s)[2], waitSeconds(a, s, 0.25)])
    expect(ts).toEqual(py)
    // the waits are spread over [0.5, 1.5) x io
    for (const [, , w] of ts as [unknown, unknown, number][]) expect(w >= 0.125 && w < 0.375).toBe(true)
  })

  it('thinks the same answers', () => {
    const py = inPython(
      `print(json.dumps([agent.think(*agent.tool_call(a, s), r) for a, s, r in ${JSON.stringify(cases)}]))`,
    ) as ReturnType<typeof think>[]
    const ts = cases.map(([a, s, r]) => think(...toolCall(a, s), r))
    expect(answerDifferences([py], [ts])).toEqual([])
    // not a constant: the answers vary with the inputs
    expect(new Set(ts.map((t) => t[2])).size).toBeGreaterThan(30)
  })
})
