import { execFile } from 'node:child_process'
import path from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it, vi } from 'vitest'
import { logWire, wireDebugOn } from '../../src/bridge/wire-debug.js'
import { fixtures } from './helpers.js'

const run = promisify(execFile)

/** Runs a host that makes one call (`agent.pid()`) and exits; its stdout says the interpreter's pid. */
async function host(env: Record<string, string | undefined>): Promise<{ pid: number; stderr: string }> {
  const { stdout, stderr } = await run(process.execPath, [path.join(fixtures, 'forgets-close.mjs')], {
    env: { ...process.env, ...env },
    timeout: 30_000,
  })
  const m = /\{"pid":(\d+)\}/.exec(stdout)
  if (!m) throw new Error(`the host printed no pid: ${stdout}\n${stderr}`)
  return { pid: Number(m[1]), stderr }
}

describe('PYPORT_DEBUG=wire', () => {
  it('prints each message on the channel to stderr, one line each, with its direction and the interpreter pid', async () => {
    const { pid, stderr } = await host({ PYPORT_DEBUG: 'wire' })
    const lines = stderr.split('\n').filter((l) => l.startsWith('pyport wire '))
    const sent = lines.filter((l) => l.startsWith(`pyport wire ${pid} -> `))
    const received = lines.filter((l) => l.startsWith(`pyport wire ${pid} <- `))
    // the call of agent.pid (the request is a string inside pythonia's message, so its quotes are escaped)
    const call = sent.find((l) => l.includes('\\"c\\"') && l.includes('\\"pid\\"'))
    expect(call, lines.join('\n')).toBeDefined()
    const r = /"r":(\d+)/.exec(call!)?.[1]
    // its reply, matched by pythonia's request id: status 0, the pid
    const reply = received.find((l) => l.includes(`"r":${r},`))
    expect(reply, lines.join('\n')).toContain(`[0,${pid},`)
    for (const l of lines) expect(l.length).toBeLessThan(400)
  })

  it('is off by default, and for other PYPORT_DEBUG topics', async () => {
    for (const env of [{ PYPORT_DEBUG: undefined }, { PYPORT_DEBUG: 'stack' }]) {
      const { stderr } = await host(env)
      expect(stderr).not.toContain('pyport wire')
    }
  })

  it('cuts a long message to 300 characters and says how long it was; wire may be one word of a list', () => {
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true)
    try {
      logWire('<-', 42, 'x'.repeat(1000))
      expect(write.mock.calls[0]?.[0]).toBe(`pyport wire 42 <- ${'x'.repeat(300)}… (1000 characters)\n`)
    } finally {
      write.mockRestore()
    }
    expect(wireDebugOn({ PYPORT_DEBUG: 'stack, wire' })).toBe(true)
    expect(wireDebugOn({ PYPORT_DEBUG: 'wires' })).toBe(false)
    expect(wireDebugOn({ PYPORT_DEBUG: 'all' })).toBe(true)
    expect(wireDebugOn({})).toBe(false)
  })
})
