import { execa } from 'execa'

const SCRIPT = `
import json, sys, time
sys.path.insert(0, sys.argv[1])
from agent import sum_primes
chunks = json.loads(sys.argv[2])
t = time.perf_counter()
total = sum(sum_primes(a, b) for a, b in chunks)
print(json.dumps([time.perf_counter() - t, total]))
`

/**
 * The machine's own parallelism, measured beside the pool: `slices.length` bare python3 processes, each timing
 * its share of the chunks itself (no bridge, no start-up in the time). Returns the slowest one's seconds and
 * the total, so `single / this` is the speed-up two processes actually got in this run.
 */
export async function bareProcesses(python: string, agentDir: string, slices: number[][][]): Promise<{ seconds: number; sum: number }> {
  const runs = await Promise.all(slices.map((chunks) => execa(python, ['-c', SCRIPT, agentDir, JSON.stringify(chunks)])))
  const results = runs.map((r) => JSON.parse(r.stdout) as [number, number])
  return { seconds: Math.max(...results.map((x) => x[0])), sum: results.reduce((a, x) => a + x[1], 0) }
}
