// Public API of pyport: re-exports only, by name. Names here are a contract (README, "Calling Python from TypeScript"
// and each area's "API" section); test/public-api.test.ts lists them, so adding or removing one is a deliberate change.
// Helpers that pyport uses inside (statistics, the bridge's wire codec, the advisor's arithmetic) are not exported.

export { PyportError } from './errors.js'
export { PyportOptionError, PyportArgumentError } from './errors.js'

// --- bridge (src/bridge) ---
export { PythonBridge } from './bridge/bridge.js'
export { PythonPool } from './bridge/pool.js'
export type { PythonPoolOptions } from './bridge/pool.js'
export { PythonModule } from './bridge/module.js'
export { PythonObject, PythonIterator } from './bridge/handles.js'
export type { CallOptions } from './bridge/module.js'
export type { PythonBridgeOptions } from './bridge/options.js'
export type { PortOptions, PortsOptions, PortHandle, Ports } from './bridge/ports.js'
export {
  PythonError,
  BridgeTimeoutError,
  BridgeClosedError,
  PythonNotFoundError,
  PythonValueError,
  PythonObjectLostError,
} from './bridge/errors.js'
export type { PythonErrorInfo, PythonFrame, CancelledCallState, ObjectLostReason } from './bridge/errors.js'
export type { BridgeStats, FunctionStats, ObjectCounts } from './bridge/stats.js'
export { resolveInterpreter } from './bridge/interpreter.js'
export type { Interpreter } from './bridge/interpreter.js'

// --- workers and hybrid (src/workers, src/hybrid) ---
export { WorkerPool } from './workers/worker-pool.js'
export type { WorkerPoolOptions, PortRunOptions } from './workers/worker-pool.js'
export {
  PortLoadError,
  PortError,
  PortCrashedError,
  PortTimeoutError,
  PortInputError,
  PortOutputError,
  WorkerPoolClosedError,
} from './workers/errors.js'
export { parsePortSpec } from './workers/port-file.js'
export type { PortLocation } from './workers/port-file.js'
export { hybrid } from './hybrid/hybrid.js'
export type { HybridFunction } from './hybrid/hybrid.js'
export type { HybridOptions } from './hybrid/hybrid-options.js'
export { resolveMode, modeEnvName, MODES } from './hybrid/mode.js'
export type { Mode, ResolvedMode } from './hybrid/mode.js'
export { compareValues } from './hybrid/compare.js'
export type { CompareOptions, Difference } from './hybrid/compare.js'
export type { IgnoreRule } from './hybrid/ignore.js'
export type { CompareFunction, ComparisonOutcome, ErrorInfo } from './hybrid/outcome.js'
export { encodeRecordValue, decodeRecordValue } from './hybrid/record-codec.js'
export type { EncodedRecordValue } from './hybrid/record-codec.js'
export type { RecordedCall, RecordedSide, RecordPublisher } from './hybrid/record-types.js'
export type { HybridReport, HybridVerdict, Latency, Example } from './hybrid/tally.js'
export { renderReport } from './hybrid/render.js'
export { readRecords } from './hybrid/corpus.js'
export { replayCorpus } from './hybrid/replay.js'
export type { ReplayOptions, VerifyReport, BadLine } from './hybrid/replay.js'
export { summariseRecords } from './hybrid/summarise.js'
export { HybridConfigError, RecordEncodeError, CorpusError } from './hybrid/errors.js'

// --- profile (src/profile) ---
export { profile } from './profile/profile.js'
export type { ProfileOptions, ProfileResult } from './profile/profile.js'
export type { ProfileTarget } from './profile/target.js'
export { profileFromStats, adviseFromStats } from './profile/from-stats.js'
export { renderStatsTable } from './profile/stats-table.js'
export type { StatsAdvice, StatsReport, FromStatsOptions } from './profile/from-stats.js'
export { parseBridgeStats } from './profile/stats-input.js'
export type { BridgeFunctionStats } from './profile/stats-input.js'
export { ProfileInputError, ProfileRunError } from './profile/errors.js'
export { calibrate } from './profile/calibrate.js'
export { advise } from './profile/advisor.js'
export { renderProfileTable } from './profile/table.js'
export { toSpeedscope } from './profile/speedscope.js'
export type { SpeedscopeFile } from './profile/speedscope.js'
export type { Advice, Calibration, FunctionProfile, FunctionTimes, ProfileReport, Verdict } from './profile/types.js'

// --- harness (src/harness) ---
export type { BenchReport, ResultRow, RatioRow, MachineInfo, Suite, SuiteContext, SuiteOutput } from './harness/types.js'
