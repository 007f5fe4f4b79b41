// Public API of pyport: re-exports only, by name. Names here are a contract (see README and design.md).

// --- bridge (src/bridge) ---
export { PythonNotFoundError } from './bridge/errors.js'
export { resolveInterpreter } from './bridge/interpreter.js'
export type { Interpreter } from './bridge/interpreter.js'

// --- workers and hybrid (src/workers, src/hybrid) ---

// --- profile (src/profile) ---

// --- harness (src/harness) ---
export { summarize, percentile, median, speedRatio } from './harness/stats.js'
export type { BenchReport, ResultRow, RatioRow, MachineInfo, Suite, SuiteContext, SuiteOutput } from './harness/types.js'
