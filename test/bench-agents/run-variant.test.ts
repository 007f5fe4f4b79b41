import { mkdtempSync, readFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { runVariant, VariantFailedError } from '../../bench/agents/run-variant.js'

const sh = (script: string, timeoutMs = 10_000) => runVariant('test variant', '/bin/sh', ['-c', script], os.tmpdir(), timeoutMs)

/** Running or sleeping: not gone, and not a zombie waiting for a parent that may never reap it (pid 1 here). */
const alive = (pid: number) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z'
  } catch {
    return false
  }
}

describe('running one variant as its own process tree', () => {
  it('reads its timings, and the CPU its processes used between "start" and "done"', async () => {
    // a child process burns CPU between the two lines: it counts, as a child's CPU
    const r = await sh(`echo '{"event":"start"}'; python3 -c "
t = 0
for i in range(3_000_000): t += i
"; echo '{"event":"done","wallS":0.5,"latencies":[0.1,0.2],"answers":[[[[1],2.5,3]]]}'; read line; exit 0`)
    expect(r.wallS).toBe(0.5)
    expect(r.latencies).toEqual([0.1, 0.2])
    expect(r.answers).toEqual([[[[1], 2.5, 3]]])
    expect(r.cpu.children).toBeGreaterThan(0.05)
    expect(r.peakRssBytes).toBeGreaterThan(0)
  })

  it('fails with the reason and the end of stderr when the variant dies before reporting', async () => {
    const err = await sh('echo "Traceback: boom" >&2; exit 3').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(VariantFailedError)
    expect((err as Error).message).toMatch(/test variant: exited \(code 3\) before it reported its agents\nTraceback: boom/)
  })

  it("fails on a line that is not the suite's JSON", async () => {
    const err = await sh('echo hello; sleep 5').catch((e: unknown) => e)
    expect((err as Error).message).toMatch(/printed a line that is not the suite's JSON: hello/)
  })

  it('stops a variant that runs past its time, with every process it started', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'pyport-variant-'))
    const pidFile = path.join(dir, 'pid')
    const t0 = Date.now()
    const err = await sh(`sleep 60 & echo $! > ${pidFile}; echo '{"event":"start"}'; sleep 60`, 1500).catch((e: unknown) => e)
    expect((err as Error).message).toMatch(/no answer within 1\.5 s; stopped it/)
    expect(Date.now() - t0).toBeLessThan(10_000)
    const grandchild = Number(readFileSync(pidFile, 'utf8'))
    await new Promise((r) => setTimeout(r, 200))
    expect(alive(grandchild)).toBe(false)
  })
})
