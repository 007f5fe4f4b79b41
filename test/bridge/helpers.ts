import { afterEach } from 'vitest'
import { PythonBridge } from '../../src/bridge/bridge.js'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { setTimeout as sleep } from 'node:timers/promises'

export const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/bridge')
export const repoRoot = path.resolve(fixtures, '../../..')

/** A zombie (exited, not yet reaped by a container's pid 1) counts as gone. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch {
    return false
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z'
  } catch {
    return true
  }
}

/** Polls until the pid is gone; returns false if it is still there after `ms`. */
export async function waitGone(pid: number, ms = 10_000): Promise<boolean> {
  const end = Date.now() + ms
  while (Date.now() < end) {
    if (!isAlive(pid)) return true
    await sleep(50)
  }
  return !isAlive(pid)
}

/**
 * A factory for bridges (or pools) on the fixtures folder that closes every one it made after each test.
 * Call it at the top level of a test file.
 */
export function closesAfterEach<O, T extends { close(): Promise<void> }>(make: (options: O) => T): (options: O) => T {
  const open: T[] = []
  afterEach(async () => {
    await Promise.all(open.splice(0).map((x) => x.close()))
  })
  return (options: O) => {
    const x = make(options)
    open.push(x)
    return x
  }
}

type BridgeOptions = ConstructorParameters<typeof PythonBridge>[0]
export const newTestBridge = (options: BridgeOptions = {}) => new PythonBridge({ cwd: fixtures, forwardStderr: false, ...options })
