/**
 * What every variant of the agents suite prints, whatever runs it: a line {"event":"start"} once its pools are
 * warm and the agents start, then {"event":"done", wallS, latencies, answers} when the last one ends. It then waits
 * for a line on stdin before tearing anything down, so the suite reads CPU and memory of every process in between.
 * The Python variants (variants.py) print the same lines.
 */
import { createInterface } from 'node:readline'
import type { Answer } from './agent.js'

export interface AgentsDone {
  wallS: number
  /** Start to finish of each agent, seconds, by agent index. */
  latencies: number[]
  /** Each agent's answer per step, by agent index. */
  answers: Answer[][]
}

export interface AgentsArgs {
  agents: number
  steps: number
  ioS: number
  rounds: number
}

/** AGENTS STEPS IO_SECONDS ROUNDS, as variants.py takes them. */
export function parseAgentsArgs(argv: readonly string[], usage: string): AgentsArgs {
  const [agents, steps, ioS, rounds] = argv.map(Number)
  const whole = (x: number | undefined): x is number => Number.isSafeInteger(x) && (x as number) >= 1
  if (argv.length !== 4 || !whole(agents) || !whole(steps) || !whole(rounds) || !(ioS !== undefined && ioS >= 0 && Number.isFinite(ioS))) {
    process.stderr.write(`usage: ${usage} AGENTS STEPS IO_SECONDS ROUNDS\n`)
    process.exit(2)
  }
  return { agents, steps, ioS, rounds }
}

export function announceStart(): void {
  process.stdout.write(`${JSON.stringify({ event: 'start' })}\n`)
}

/** Prints the done line, then resolves once the suite has answered (or stdin closed). */
export async function announceDone(done: AgentsDone): Promise<void> {
  process.stdout.write(`${JSON.stringify({ event: 'done', ...done })}\n`)
  const lines = createInterface({ input: process.stdin })
  await new Promise<void>((resolve) => {
    lines.once('line', () => {
      resolve()
    })
    lines.once('close', () => {
      resolve()
    })
  })
  lines.close()
}
