/**
 * Runs one variant once, as its own process tree, and measures it: the variant's own timings (child-protocol.ts)
 * and, from outside, the CPU its processes used between its "start" and "done" lines and their peak memory.
 */
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import type { AgentsDone } from './child-protocol.js'
import { minusCpu, ProcessTree, type CpuSplit } from './process-tree.js'

export interface VariantRun extends AgentsDone {
  /** CPU seconds of the variant's processes while its agents ran: its root's main thread, its other threads, children. */
  cpu: CpuSplit
  /** Peak resident memory of all its processes together, over its whole life, bytes. */
  peakRssBytes: number
}

export class VariantFailedError extends Error {
  override name = 'VariantFailedError'
}

const STDERR_TAIL = 2000
const none: CpuSplit = { rootMain: 0, rootOther: 0, children: 0 }

export function runVariant(label: string, command: string, args: readonly string[], cwd: string, timeoutMs: number): Promise<VariantRun> {
  return new Promise((resolve, reject) => {
    // in the suite's own process group: a Ctrl-C on the terminal reaches the variant and all it started
    const child = spawn(command, args, { cwd, stdio: ['pipe', 'pipe', 'pipe'] })
    const tree = child.pid === undefined ? undefined : new ProcessTree(child.pid)
    let stderr = ''
    let cpuAtStart: CpuSplit | undefined
    let done: VariantRun | undefined
    let settled = false
    const fail = (why: string) => {
      if (settled) return
      settled = true
      if (tree) tree.kill()
      else child.kill('SIGKILL')
      tree?.stop()
      const tail = stderr.trim() ? `\n${stderr.trim().slice(-STDERR_TAIL)}` : ''
      reject(new VariantFailedError(`${label}: ${why}${tail}`))
    }
    const timer = setTimeout(() => {
      fail(`no answer within ${timeoutMs / 1000} s; stopped it`)
    }, timeoutMs)
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-4 * STDERR_TAIL)))
    child.on('error', (e) => {
      fail(`cannot start ${command}: ${e.message}`)
    })
    child.stdin.on('error', () => {}) // a variant that died is reported by its exit, below
    createInterface({ input: child.stdout }).on('line', (line) => {
      let msg: { event?: string } & Partial<AgentsDone>
      try {
        msg = JSON.parse(line) as typeof msg
      } catch {
        fail(`printed a line that is not the suite's JSON: ${line.slice(0, 200)}`)
        return
      }
      if (msg.event === 'start') cpuAtStart = tree?.cpu() ?? none
      else if (msg.event === 'done') {
        if (cpuAtStart === undefined) {
          fail('said "done" before "start"')
          return
        }
        const cpu = minusCpu(tree?.cpu() ?? none, cpuAtStart)
        done = { wallS: Number(msg.wallS), latencies: msg.latencies ?? [], answers: msg.answers ?? [], cpu, peakRssBytes: 0 }
        child.stdin.end('go\n')
      }
    })
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      if (settled) return
      if (!done) {
        fail(`exited (${signal ?? `code ${code}`}) before it reported its agents`)
        return
      }
      if (code !== 0) {
        fail(`exited with code ${code ?? signal} after its run`)
        return
      }
      settled = true
      tree?.stop()
      done.peakRssBytes = tree?.peakBytes() ?? 0
      resolve(done)
    })
  })
}
