/**
 * CPU and memory of a process and all its descendants, read from Linux's /proc: the CPU each has used (all its
 * threads, user + system) and the sum of their resident memory, sampled while the variant runs so its peak is
 * seen. Elsewhere (no /proc) `available` is false and the suite says the figures were not measured.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'

const SAMPLE_MS = 50
const RESCAN_MS = 250

function getconf(name: string, fallback: number): number {
  try {
    const v = Number(execFileSync('getconf', [name], { encoding: 'utf8' }).trim())
    return Number.isFinite(v) && v > 0 ? v : fallback
  } catch {
    return fallback
  }
}

const proc = existsSync('/proc/self/stat')
const ticksPerSecond = proc ? getconf('CLK_TCK', 100) : 100
const pageBytes = proc ? getconf('PAGESIZE', 4096) : 4096

/** Fields of /proc/PID/stat after the command name (which may hold spaces and parentheses). */
function statFields(pid: number): string[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return text.slice(text.lastIndexOf(')') + 2).split(' ')
  } catch {
    return undefined // the process ended
  }
}

function descendants(root: number): number[] {
  const children = new Map<number, number[]>()
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry)
    if (!Number.isInteger(pid)) continue
    const ppid = Number(statFields(pid)?.[1])
    if (!Number.isInteger(ppid)) continue
    const list = children.get(ppid)
    if (list) list.push(pid)
    else children.set(ppid, [pid])
  }
  const out = [root]
  for (let i = 0; i < out.length; i++) out.push(...(children.get(out[i] as number) ?? []))
  return out
}

export interface CpuSplit {
  rootMain: number
  rootOther: number
  children: number
}

export const minusCpu = (a: CpuSplit, b: CpuSplit): CpuSplit => ({
  rootMain: a.rootMain - b.rootMain,
  rootOther: a.rootOther - b.rootOther,
  children: a.children - b.children,
})

function threadCpu(pid: number, tid: number): number {
  try {
    const text = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8')
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ')
    return (Number(f[11]) + Number(f[12])) / ticksPerSecond
  } catch {
    return 0
  }
}

export class ProcessTree {
  readonly available = proc
  #pids: number[]
  #peakBytes = 0
  /** CPU seconds of every process seen, by pid: a process that ends keeps what it used until then. */
  readonly #cpu = new Map<number, number>()
  readonly #timers: NodeJS.Timeout[] = []

  constructor(readonly root: number) {
    this.#pids = [root]
    if (!proc) return
    this.#sample()
    this.#timers.push(
      setInterval(() => {
        this.#sample()
      }, SAMPLE_MS),
      setInterval(() => (this.#pids = descendants(root)), RESCAN_MS),
    )
    for (const t of this.#timers) t.unref()
  }

  /** CPU seconds used so far: the root's main thread, the root's other threads, and every descendant process. */
  cpu(): CpuSplit {
    if (!proc) return { rootMain: 0, rootOther: 0, children: 0 }
    this.#pids = descendants(this.root)
    this.#sample()
    let children = 0
    for (const [pid, s] of this.#cpu) if (pid !== this.root) children += s
    const rootMain = threadCpu(this.root, this.root)
    const rootAll = this.#cpu.get(this.root) ?? 0
    return { rootMain, rootOther: Math.max(0, rootAll - rootMain), children }
  }

  /** The highest total resident memory seen, in bytes. */
  peakBytes(): number {
    return this.#peakBytes
  }

  /** SIGKILL to the process and every descendant (a stuck variant, with everything it started). */
  kill(): void {
    const pids = proc ? descendants(this.root) : [this.root]
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL')
      } catch {
        // already gone
      }
    }
  }

  stop(): void {
    for (const t of this.#timers) clearInterval(t)
  }

  #sample(): void {
    let rss = 0
    for (const pid of this.#pids) {
      const f = statFields(pid)
      if (!f) continue
      // after the name: state ppid ... utime (field 14 of the file) is index 11 here, stime 12, rss 21 (pages)
      this.#cpu.set(pid, (Number(f[11]) + Number(f[12])) / ticksPerSecond)
      rss += Number(f[21]) * pageBytes
    }
    if (rss > this.#peakBytes) this.#peakBytes = rss
  }
}
