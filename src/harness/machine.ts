import os from 'node:os'
import type { MachineInfo } from './types.js'

export function machineInfo(pythonVersion: string): MachineInfo {
  const cpus = os.cpus()
  return {
    cpus: os.availableParallelism(),
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    node: process.version,
    python: pythonVersion,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
  }
}
