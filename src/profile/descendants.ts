import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'

/** [pid, parent pid] of every process: /proc on Linux, else `ps`; empty if neither is available. */
function processTable(): [number, number][] {
  try {
    const rows: [number, number][] = []
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8')
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
        rows.push([Number(name), ppid])
      } catch {
        // the process ended while we looked
      }
    }
    return rows
  } catch {
    try {
      const text = execFileSync('ps', ['-A', '-o', 'pid=,ppid='], { encoding: 'utf8', timeout: 5000 })
      return text
        .split('\n')
        .map((l) => l.trim().split(/\s+/).map(Number) as [number, number])
        .filter(([pid, ppid]) => Number.isInteger(pid) && Number.isInteger(ppid))
    } catch {
      return []
    }
  }
}

/** The pids of every process below `pid` (children, grandchildren...). */
export function descendants(pid: number): number[] {
  const children = new Map<number, number[]>()
  for (const [p, pp] of processTable()) children.set(pp, [...(children.get(pp) ?? []), p])
  const out: number[] = []
  const todo = [pid]
  for (let next = todo.pop(); next !== undefined; next = todo.pop()) {
    for (const c of children.get(next) ?? []) {
      out.push(c)
      todo.push(c)
    }
  }
  return out
}

/** Sends `signal` to every process below `pid`; those already gone are skipped. */
export function signalDescendants(pid: number, signal: NodeJS.Signals): void {
  for (const p of descendants(pid)) {
    try {
      process.kill(p, signal)
    } catch {
      // already gone
    }
  }
}
