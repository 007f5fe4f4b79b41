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
export { profile, METHOD_NOTE } from './profile/profile.js'
export type { ProfileOptions, ProfileResult } from './profile/profile.js'
export type { ProfileTarget } from './profile/target.js'
export { profileFromStats, adviseFromStats, renderStatsTable } from './profile/from-stats.js'
export type { StatsAdvice, StatsReport, FromStatsOptions } from './profile/from-stats.js'
export { parseBridgeStats } from './profile/stats-input.js'
export type { BridgeFunctionStats } from './profile/stats-input.js'
export { ProfileInputError, ProfileRunError } from './profile/errors.js'
export { calibrate } from './profile/calibrate.js'
export { advise, portSaving } from './profile/advisor.js'
export { renderProfileTable } from './profile/table.js'
export { toSpeedscope } from './profile/speedscope.js'
export type { SpeedscopeFile } from './profile/speedscope.js'
export type { Advice, Calibration, FunctionProfile, FunctionTimes, ProfileReport, Verdict } from './profile/types.js'

// --- harness (src/harness) ---
export { summarize, percentile, median, speedRatio } from './harness/stats.js'
export type { BenchReport, ResultRow, RatioRow, MachineInfo, Suite, SuiteContext, SuiteOutput } from './harness/types.js'
