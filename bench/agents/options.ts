/** The agents suite's own settings, with their defaults: a full run fits in about 2 minutes on 2 cores. */
export interface AgentsOptions {
  /** The agent counts to run, ascending. @default [5, 50, 500] */
  agents: number[]
  /** Steps per agent. @default 3 */
  steps: number
  /** Python CPU per think, ms (calibrated). @default 1.5 */
  thinkMs: number
  /** Mean network wait per step, seconds. @default 0.25 */
  ioSeconds: number
}

export const agentsDefaults: AgentsOptions = { agents: [5, 50, 500], steps: 3, thinkMs: 1.5, ioSeconds: 0.25 }
/** --quick: about 20 s. */
export const agentsQuick: AgentsOptions = { agents: [5, 50], steps: 3, thinkMs: 1, ioSeconds: 0.1 }

/** The options the CLI validated (ctx.options), each falling back to the defaults, or to --quick's. */
export function agentsOptions(options: Readonly<Record<string, unknown>>): AgentsOptions {
  const base = options['quick'] === true ? agentsQuick : agentsDefaults
  const pick = <K extends keyof AgentsOptions>(k: K): AgentsOptions[K] => (options[k] as AgentsOptions[K] | undefined) ?? base[k]
  return { agents: [...pick('agents')].sort((a, b) => a - b), steps: pick('steps'), thinkMs: pick('thinkMs'), ioSeconds: pick('ioSeconds') }
}
