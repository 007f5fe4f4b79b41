// Public API of pyport: re-exports only. Names here are a contract (see README).
export { PythonNotFoundError } from './bridge/errors.js'
export type { BenchReport, ResultRow, RatioRow, MachineInfo } from './harness/types.js'
