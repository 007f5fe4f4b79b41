// Public API of pyport: re-exports only, by name. Names here are a contract (see README and design.md).

// --- bridge (src/bridge) ---
export { PythonBridge } from './bridge/bridge.js'
export { PythonPool } from './bridge/pool.js'
export type { PythonPoolOptions } from './bridge/pool.js'
export { PythonModule } from './bridge/module.js'
export type { CallOptions } from './bridge/module.js'
export type { PythonBridgeOptions } from './bridge/options.js'
export { PythonError, BridgeTimeoutError, BridgeClosedError, PythonNotFoundError, PythonValueError } from './bridge/errors.js'
export type { PythonErrorInfo, PythonFrame } from './bridge/errors.js'
export type { BridgeStats, FunctionStats } from './bridge/stats.js'
export { encodeValue, decodeValue } from './bridge/codec.js'
export { resolveInterpreter } from './bridge/interpreter.js'
export type { Interpreter } from './bridge/interpreter.js'

// --- workers and hybrid (src/workers, src/hybrid) ---

// --- profile (src/profile) ---

// --- harness (src/harness) ---
export { summarize, percentile, median, speedRatio } from './harness/stats.js'
export type { BenchReport, ResultRow, RatioRow, MachineInfo, Suite, SuiteContext, SuiteOutput } from './harness/types.js'
