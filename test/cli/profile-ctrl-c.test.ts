import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { cliPath } from './helpers.js'

const script = fileURLToPath(new URL('../fixtures/cli/busy_until_interrupted.py', import.meta.url))

/** Runs `pyport profile` in its own process group, like a terminal does, and sends Ctrl-C (SIGINT) to the group. */
function profileThenCtrlC(extraArgs: string[], presses: number) {
  const child = spawn(process.execPath, [cliPath, 'profile', script, '--speedup', '20', '--bridge-us', '200', '--', ...extraArgs], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stderr.on('data', (d) => (stderr += String(d)))
  return new Promise<{ code: number | null; stdout: string; stderr: string; pythonPid: number }>((resolve) => {
    let pythonPid = 0
    child.stdout.on('data', (d) => {
      stdout += String(d)
      const m = /^pid (\d+)$/m.exec(stdout)
      if (m && pythonPid === 0) {
        pythonPid = Number(m[1])
        // let it run a little so there is something to profile, then press Ctrl-C
        setTimeout(() => {
          for (let i = 0; i < presses; i++) setTimeout(() => process.kill(-child.pid!, 'SIGINT'), i * 300)
        }, 500)
      }
    })
    child.on('close', (code) => {
      resolve({ code, stdout, stderr, pythonPid })
    })
  })
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

describe('pyport profile and Ctrl-C', () => {
  it('waits for the interrupted program to write its profile, then reports it', async () => {
    const r = await profileThenCtrlC([], 1)
    expect(r.stderr).toMatch(/interrupted; waiting for the program to write its profile/)
    expect(r.stderr).toMatch(/KeyboardInterrupt/)
    expect(r.stdout).toMatch(/exit 130 \(raised KeyboardInterrupt\)/)
    expect(r.stdout).toMatch(/work\s+\S*busy_until_interrupted\.py:7/)
    expect(r.code).toBe(1)
  })

  it('stops a program that ignores Ctrl-C at the second press, leaving no process behind', async () => {
    const r = await profileThenCtrlC(['--ignore-sigint'], 2)
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/was killed by SIG[A-Z]+ after the run was cancelled \(interrupted twice with Ctrl-C\)/)
    expect(r.pythonPid).toBeGreaterThan(0)
    expect(alive(r.pythonPid)).toBe(false)
  })
})
