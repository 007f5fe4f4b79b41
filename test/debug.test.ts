// PYPORT_DEBUG: one comma-separated list of topics (src/util/debug.ts), read by the wire log and the CLI.
import { mkdtempSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { DEBUG_TOPICS, debugOn, debugTopics } from '../src/util/debug.js'
import { runInProcess } from './cli/helpers.js'

describe('PYPORT_DEBUG topics', () => {
  it.each<[string | undefined, string[]]>([
    [undefined, []],
    ['', []],
    ['wire', ['wire']],
    ['stack', ['stack']],
    ['stack, wire', ['wire', 'stack']],
    [' WIRE ,', ['wire']],
    ['all', ['wire', 'stack']],
    ['1', ['wire', 'stack']],
    ['wire,1', ['wire', 'stack']],
    ['yes', []],
    ['wires,stacks', []],
    ['0', []],
  ])('PYPORT_DEBUG=%j turns on %j', (value, topics) => {
    expect([...debugTopics({ PYPORT_DEBUG: value })].sort()).toEqual([...topics].sort())
    for (const t of DEBUG_TOPICS) expect(debugOn(t, { PYPORT_DEBUG: value }), t).toBe(topics.includes(t))
  })

  it('reads process.env by default', () => {
    vi.stubEnv('PYPORT_DEBUG', 'stack')
    try {
      expect(debugOn('stack')).toBe(true)
      expect(debugOn('wire')).toBe(false)
    } finally {
      vi.unstubAllEnvs()
    }
  })
})

describe('the CLI prints the stack of an error it reports with PYPORT_DEBUG=stack', () => {
  const missing = path.join(mkdtempSync(path.join(os.tmpdir(), 'pyport-debug-')), 'missing.jsonl')
  const report = () => runInProcess(['report', missing])
  afterEach(() => {
    vi.unstubAllEnvs()
  })

  it.each(['stack', 'wire,stack', 'all', '1'])('PYPORT_DEBUG=%s: the message, then the stack', async (value) => {
    vi.stubEnv('PYPORT_DEBUG', value)
    const r = await report()
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/^pyport report: corpus .*missing\.jsonl cannot be read/)
    expect(r.stderr).toMatch(/\nRunFailedError: corpus .*\n\s+at /)
  })

  it.each([undefined, 'wire', 'yes'])('PYPORT_DEBUG=%s: the message only', async (value) => {
    vi.stubEnv('PYPORT_DEBUG', value)
    const r = await report()
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/^pyport report: corpus .*missing\.jsonl cannot be read[^\n]*\n$/)
  })
})
